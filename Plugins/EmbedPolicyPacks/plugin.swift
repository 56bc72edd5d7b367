import Foundation
import PackagePlugin

/// Embeds the built-in policy packs (`Policies/*.yaml` at the package root) into the target that
/// uses this plugin, as a generated `BuiltinPackSources.swift`. Packs then ship inside the binary.
@main
struct EmbedPolicyPacks: BuildToolPlugin {
  func createBuildCommands(context: PluginContext, target: Target) throws -> [Command] {
    let policies = context.package.directoryURL.appendingPathComponent("Policies")
    let packs = (try? FileManager.default.contentsOfDirectory(at: policies, includingPropertiesForKeys: nil))?
      .filter { $0.pathExtension == "yaml" }
      .sorted { $0.lastPathComponent < $1.lastPathComponent } ?? []
    let output = context.pluginWorkDirectoryURL.appendingPathComponent("BuiltinPackSources.swift")
    return [
      .buildCommand(
        displayName: "Embedding \(packs.count) policy packs",
        executable: try context.tool(named: "PolicyPackEmbedder").url,
        arguments: [output.path] + packs.map(\.path),
        inputFiles: packs,
        outputFiles: [output]
      )
    ]
  }
}
