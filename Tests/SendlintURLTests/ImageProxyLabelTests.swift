import Testing

@testable import SendlintURL

/// `ImageProxy.firstLabel(of:hasPrefix:)` reads ASCII hosts as bytes; it must answer what the
/// Character split it replaced answers (kept here as the reference), empty labels included.
@Suite struct ImageProxyLabelTests {
  static func reference(_ host: String, _ prefix: String) -> Bool {
    host.split(separator: ".").first?.hasPrefix(prefix) ?? false
  }

  @Test func firstLabelAgreesWithTheCharacterSplit() {
    let hosts = [
      "", ".", "..", "imgproxy", "imgproxy.example", "imgproxy1.example.net", ".imgproxy.example",
      "..imgproxy", "img.imgproxy.example", "imgprox.example", "imgproxyimgproxy", "IMGPROXY.example",
      "a.b.c", "imgproxy.", "x..imgproxy", "imgproxé.example", "\u{E9}.imgproxy", ".\u{301}imgproxy.x",
    ]
    for host in hosts {
      for prefix in ["imgproxy", "img", "", "imgproxé", "IMG", "."] {
        #expect(
          ImageProxy.firstLabel(of: host, hasPrefix: prefix) == Self.reference(host, prefix),
          "\(host.debugDescription) \(prefix.debugDescription)")
      }
    }
  }
}
