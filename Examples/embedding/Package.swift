// swift-tools-version: 6.1
// Embedding sendlint in a Swift service: lint a message held in memory with only `import Sendlint`.
import Foundation
import PackageDescription

// A path dependency's package identity is its folder's name, which is whatever the clone is called
// (`sendlint`, or a CI or worktree folder). A package depending on sendlint by URL writes
// `.product(name: "Sendlint", package: "sendlint")`.
let repository = URL(fileURLWithPath: Context.packageDirectory).deletingLastPathComponent()
  .deletingLastPathComponent().lastPathComponent.lowercased()

let package = Package(
  name: "embedding",
  platforms: [.macOS(.v13)],
  dependencies: [.package(path: "../..")],
  targets: [
    .executableTarget(name: "embedding", dependencies: [.product(name: "Sendlint", package: repository)])
  ]
)
