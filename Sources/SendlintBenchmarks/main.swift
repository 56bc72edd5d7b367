// sendlint-bench: throughput of the byte parsers, for comparison runs (Scripts/benchmark.sh).
// Not a test: it measures, it asserts nothing.
//
//   sendlint-bench mime FILE-LIST      MIME parse + text decoding over the listed files
//   sendlint-bench html FILE-LIST      HTML inventory over the listed files' HTML parts
//   sendlint-bench adversarial         tokenizer on hostile inputs (nesting, huge attribute, entities)
//   sendlint-bench parse FILE          one file, once: MIME parse, every part transfer-decoded and
//                                      text parts charset-converted, attached messages likewise
//                                      (for peak-memory measurement, Scripts/memory.sh)
import Foundation
import SendlintCore
import SendlintHTML
import SendlintMIME

func files(_ listPath: String) -> [[UInt8]] {
  let list = (try? String(contentsOfFile: listPath, encoding: .utf8)) ?? ""
  return list.split(separator: "\n").compactMap {
    SourceFile.readBytes(atPath: String($0), maximumBytes: .max)
  }
}

/// Runs `body` `rounds` times and returns the best time in seconds (least disturbed run).
func best(rounds: Int = 3, _ body: () -> Void) -> Double {
  var bestTime = Double.infinity
  for _ in 0..<rounds {
    let start = ContinuousClock.now
    body()
    let elapsed = ContinuousClock.now - start
    let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
    bestTime = min(bestTime, seconds)
  }
  return bestTime
}

func report(_ name: String, bytes: Int, seconds: Double) {
  let megabytes = Double(bytes) / 1_048_576
  print(String(format: "%@: %.2f MB in %.3f s = %.1f MB/s", name, megabytes, seconds, megabytes / seconds))
}

let arguments = CommandLine.arguments
guard arguments.count >= 2 else {
  print("usage: sendlint-bench mime|html FILE-LIST | adversarial")
  exit(2)
}
var sink = 0
switch arguments[1] {
case "mime":
  let inputs = files(arguments[2])
  let total = inputs.reduce(0) { $0 + $1.count }
  let seconds = best {
    for bytes in inputs {
      let message = MIMEMessage.parse(SourceFile(path: "m", bytes: bytes))
      message.root.walk { entity, _ in
        if entity.contentType.type == "text" {
          sink &+= entity.decodedText(in: message.file).text.bytes.count
        }
      }
    }
  }
  print("files: \(inputs.count)")
  report("sendlint MIME parse + decode text parts", bytes: total, seconds: seconds)
case "html":
  var bodies: [[UInt8]] = []
  for bytes in files(arguments[2]) {
    let message = MIMEMessage.parse(SourceFile(path: "m", bytes: bytes))
    message.root.walk { entity, _ in
      if entity.contentType.value == "text/html" {
        bodies.append(entity.decodedText(in: message.file).text.bytes)
      }
    }
  }
  let total = bodies.reduce(0) { $0 + $1.count }
  let seconds = best { for body in bodies { sink &+= HTMLInventory.read(body).links.count } }
  print("HTML bodies: \(bodies.count)")
  report("sendlint HTML tokenize + inventory", bytes: total, seconds: seconds)
case "adversarial":
  let cases: [(String, [UInt8])] = [
    ("100k nested tags", Array((String(repeating: "<div><span>", count: 50_000) + "x").utf8)),
    (
      "a 20 MB attribute", Array(("<a href=\"" + String(repeating: "a", count: 20_000_000) + "\">x</a>").utf8)
    ),
    ("a million entities", Array(String(repeating: "&amp;", count: 1_000_000).utf8)),
    ("a million unclosed comments", Array(String(repeating: "<!--", count: 1_000_000).utf8)),
    (
      "100k universal style rules over 100k elements",
      Array(
        ("<style>" + String(repeating: "*{color:red}", count: 100_000) + "</style>"
          + String(repeating: "<b>x</b>", count: 100_000)).utf8)
    ),
  ]
  for (name, bytes) in cases {
    let seconds = best(rounds: 2) { sink &+= HTMLInventory.read(bytes).links.count }
    report("HTML \(name)", bytes: bytes.count, seconds: seconds)
  }
case "parse":
  // Read straight into one array (as DraftLoader does), so the file is held once.
  guard arguments.count >= 3, let bytes = SourceFile.readBytes(atPath: arguments[2], maximumBytes: .max)
  else {
    print("usage: sendlint-bench parse FILE")
    exit(2)
  }
  // Everything held at once, as the inventory reader holds it: the message and every decoded body.
  var held: [[UInt8]] = []
  func readAll(_ message: MIMEMessage) {
    message.root.walk { entity, _ in
      if entity.contentType.type == "text" {
        held.append(entity.decodedText(in: message.file).text.bytes)
      } else if !entity.isMultipart, !entity.isEncapsulatedMessage {
        held.append(entity.decodedBody(in: message.file).bytes)
      }
      for inner in entity.decodedMessage { readAll(inner) }
    }
  }
  let message = MIMEMessage.parse(SourceFile(path: arguments[2], bytes: bytes))
  readAll(message)
  sink &+= held.reduce(0) { $0 + $1.count }
  print("decoded bytes: \(sink)")
default:
  print("unknown benchmark \(arguments[1])")
  exit(2)
}
if sink == 42 { print("") }  // keeps the work observable to the optimiser
