// libFuzzer harnesses for sendlint's parsers of hostile input, one binary for all of them.
//
// Built with AddressSanitizer and coverage by Scripts/fuzz.sh, libFuzzer calls
// `LLVMFuzzerTestOneInput`; the harness is chosen by `SENDLINT_FUZZ_TARGET`. Built plainly, the
// `main` of SendlintFuzzMain calls `sendlintFuzzReplay`, which runs one harness over files named on
// the command line: a crash found in CI replays under the debugger.
import Foundation
import SendlintCore
import SendlintDNS
import SendlintHTML
import SendlintInventory
import SendlintMIME
import SendlintPolicy
import SendlintURL

/// One entry point per parser that reads what a stranger wrote.
enum Harness: String, CaseIterable {
  /// RFC 5322/MIME messages, read as `lint` reads an `.eml`: tree, decoding, HTML, text URLs, ZIPs.
  case mime
  /// A bare HTML template: tokenizer, character references, `<style>`, the inventory.
  case html
  /// WHATWG URL parsing (first line the input, an optional second line the base) and the text URL
  /// finder over the whole input.
  case url
  /// A policy document, strictly read and resolved (packs, rules, custom-rule regexes).
  case policy
  /// A campaign manifest, read and turned into the send-time view over a fixed template.
  case manifest
  /// A ZIP central directory (attachment names).
  case zip
  /// A PDF attachment's `/URI` links: tokens, strings, Flate streams and object streams.
  case pdf
  /// A DNS response as a nameserver (or anyone spoofing one) sends it: names, compression, records.
  case dns

  /// Runs the harness on one input. It must return on every input; libFuzzer reports any crash,
  /// timeout or excess memory.
  func run(_ bytes: [UInt8]) {
    switch self {
    case .mime:
      let file = SourceFile(path: "fuzz.eml", bytes: bytes)
      let message = MIMEMessage.parse(file)
      var decoded = 0
      message.root.walk { entity, _ in
        if entity.contentType.type == "text" {
          decoded &+= entity.decodedText(in: message.file).text.bytes.count
        } else if !entity.isMultipart {
          decoded &+= entity.decodedBody(in: message.file).bytes.count
        }
      }
      observe(decoded)
      observe(InventoryReader.eml(file, finder: finder).links.count)
    case .html:
      observe(HTMLInventory.read(bytes).links.count)
      observe(
        InventoryReader.template(SourceFile(path: "fuzz.html", bytes: bytes), isHTML: true, finder: finder)
          .links.count)
    case .url:
      let text = String(decoding: bytes, as: UTF8.self)
      let lines = text.split(separator: "\n", maxSplits: 1, omittingEmptySubsequences: false)
      let base = lines.count > 1 ? URLRecord.parse(String(lines[1])) : nil
      observe(URLRecord.parse(String(lines.first ?? ""), base: base)?.description.utf8.count ?? 0)
      observe(finder.find(in: bytes).count)
    case .policy:
      // `extends` of a relative path resolves inside an empty folder, so nothing outside is read
      // unless the input names an absolute path, as a hostile policy may.
      do {
        let policy = try PolicyLoader.load(
          text: String(decoding: bytes, as: UTF8.self), path: "fuzz.yaml", directory: emptyDirectory)
        observe(policy.path?.count ?? 0)
      } catch {
        observe(error.diagnostics.count)
      }
    case .manifest:
      let (manifest, diagnostics) = CampaignManifest.read(SourceFile(path: "campaign.yaml", bytes: bytes))
      observe(diagnostics.count)
      if let manifest {
        observe(InventoryReader.campaign(manifest, html: template, text: nil, finder: finder).links.count)
      }
    case .zip:
      observe(ZipDirectory.names(in: bytes).count)
    case .pdf:
      observe(PDFLinks.read(bytes).uris.count)
    case .dns:
      switch SocketResolver.outcome(bytes, name: "fuzz.example", type: .txt, server: "fuzz") {
      case .records(let records): observe(records.reduce(0) { $0 &+ ($1.joinedText?.utf8.count ?? 0) })
      case .nonexistent: observe(1)
      case .failure(let failure): observe(failure.description.utf8.count)
      }
    }
  }
}

/// Built once per process: loading the Public Suffix List per input would swamp the parsers.
let finder = TextURLFinder()

/// A template with a link, an image and a merge tag, so a fuzzed manifest's tracking settings,
/// variables and headers all have something to act on.
let template = SourceFile(
  path: "body.html",
  text: "<p>Hello {{first_name}}, <a href=\"https://example.com/a?b=1\">example.com</a>"
    + "<img src=\"https://cdn.example.com/p.gif\" width=\"1\" height=\"1\"> {{unsubscribe_url}}</p>\n"
)

let emptyDirectory: String = {
  let path = NSTemporaryDirectory() + "sendlint-fuzz-\(getpid())"
  try? FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
  return path
}()

/// Keeps results observable, so the optimiser cannot drop the work being fuzzed.
nonisolated(unsafe) var sink = 0
func observe(_ value: Int) { sink &+= value }

/// The harness named by `SENDLINT_FUZZ_TARGET`; libFuzzer's own command line is not ours to parse.
let selectedHarness: Harness = {
  let name = ProcessInfo.processInfo.environment["SENDLINT_FUZZ_TARGET"] ?? ""
  guard let harness = Harness(rawValue: name) else {
    let names = Harness.allCases.map(\.rawValue).joined(separator: ", ")
    FileHandle.standardError.write(
      Data("SENDLINT_FUZZ_TARGET must be one of \(names); got \"\(name)\"\n".utf8))
    exit(2)
  }
  return harness
}()

/// libFuzzer's entry point: one input per call.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzOneInput(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
  let bytes = data.map { Array(UnsafeBufferPointer(start: $0, count: size)) } ?? []
  selectedHarness.run(bytes)
  return 0
}

/// Replay mode (a build without the fuzzer): `sendlint-fuzz HARNESS FILE...` or
/// `SENDLINT_FUZZ_TARGET=HARNESS sendlint-fuzz FILE...`; a folder stands for the files in it.
@_cdecl("sendlintFuzzReplay")
public func replay(_ argc: CInt, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>) -> CInt {
  var arguments = (1..<Int(argc)).compactMap { argv[$0].map { String(cString: $0) } }
  let harness: Harness
  if let first = arguments.first, let named = Harness(rawValue: first) {
    harness = named
    arguments.removeFirst()
  } else {
    harness = selectedHarness
  }
  var paths: [String] = []
  for argument in arguments {
    var isDirectory: ObjCBool = false
    if FileManager.default.fileExists(atPath: argument, isDirectory: &isDirectory), isDirectory.boolValue {
      let names = (try? FileManager.default.contentsOfDirectory(atPath: argument)) ?? []
      paths += names.sorted().map { argument + "/" + $0 }
    } else {
      paths.append(argument)
    }
  }
  for path in paths {
    guard let data = FileManager.default.contents(atPath: path) else {
      FileHandle.standardError.write(Data("cannot read \(path)\n".utf8))
      return 1
    }
    harness.run(Array(data))
  }
  print("\(harness.rawValue): replayed \(paths.count) inputs")
  return 0
}
