import Foundation
import SendlintCore
import SendlintEngine
import SendlintHTML
import SendlintTestSupport
import Testing

@testable import SendlintReport

/// The HTML report, checked as a browser would read it: the page and each frame's document are
/// tokenized with sendlint's own WHATWG tokenizer, never by string search alone.
@Suite struct HTMLReportTests {
  /// One page, parsed: its start tags, its text, and each srcdoc document parsed in turn.
  struct Page {
    var tags: [HTMLStartTag] = []
    var text = ""
    var styles: [String] = []
    var scripts: [String] = []
    var frames: [Page] = []

    init(_ html: String) {
      var tokenizer = HTMLTokenizer(bytes: Array(html.utf8))
      var open: String?
      var tokens: [HTMLToken] = []
      tokenizer.tokenize { tokens.append($0) }
      for token in tokens {
        switch token {
        case .startTag(let tag):
          tags.append(tag)
          open = tag.name == "style" || tag.name == "script" ? tag.name : nil
          if let srcdoc = tag.attribute("srcdoc") { frames.append(Page(srcdoc.value)) }
          if tag.name == "style" { styles.append("") }
          if tag.name == "script" { scripts.append("") }
        case .characters(let bytes, _, _):
          let piece = String(decoding: bytes, as: UTF8.self)
          if open == "style" {
            styles[styles.count - 1] += piece
          } else if open == "script" {
            scripts[scripts.count - 1] += piece
          } else {
            text += piece
          }
        case .endTag: open = nil
        default: continue
        }
      }
    }

    func attributeValues(_ names: Set<String>) -> [String] {
      tags.flatMap { tag in tag.attributes.filter { names.contains($0.name) }.map(\.value) }
    }

    /// Every URL the document could load or navigate to: src/href/background/… and CSS url().
    var urls: [String] {
      var found = attributeValues([
        "src", "href", "background", "poster", "action", "formaction", "srcset", "data", "xlink:href",
      ])
      let css = styles + attributeValues(["style"])
      for sheet in css {
        var rest = Substring(sheet)
        while let range = rest.range(of: "url(", options: .caseInsensitive) {
          let after = rest[range.upperBound...]
          found.append(
            String(after.prefix { $0 != ")" }).trimmingCharacters(in: CharacterSet(charactersIn: "\"' ")))
          rest = after
        }
      }
      return found
    }

    var contentSecurityPolicy: String? {
      tags.first {
        $0.name == "meta" && $0.attribute("http-equiv")?.value.lowercased() == "content-security-policy"
      }?.attribute("content")?.value
    }
  }

  static func isRemote(_ url: String) -> Bool {
    let lowered = url.trimmingCharacters(in: .whitespacesAndNewlines).lowercased()
    return lowered.hasPrefix("http:") || lowered.hasPrefix("https:") || lowered.hasPrefix("//")
      || lowered.hasPrefix("javascript:")
  }

  /// Lints `paths` with previews and renders the report.
  static func render(_ paths: [String], in directory: String) -> (html: String, report: LintReport) {
    var request = LintRequest(paths: paths, workingDirectory: directory)
    request.buildsPreviews = true
    let report = Engine().lint(request)
    let html = HTMLReportFormatter.format(
      findings: report.findings, diagnostics: report.diagnostics, previews: report.previews,
      draftCount: report.draftCount, toolVersion: "test")
    return (html, report)
  }

  /// A folder holding `files` (name → content), removed by the caller.
  static func folder(_ files: [String: String]) throws -> String {
    let directory = NSTemporaryDirectory() + "sendlint-html-\(UUID().uuidString)"
    try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
    for (name, content) in files {
      try content.write(toFile: directory + "/" + name, atomically: true, encoding: .utf8)
    }
    return directory
  }

  /// What every report must satisfy: one finding button per finding, CSP on the page (with the
  /// script's real hash) and in every frame, no remote URL outside or inside the frames, only our
  /// own script and stylesheet on the page.
  static func checkInvariants(
    _ page: Page, report: LintReport, sourceLocation: SourceLocation = #_sourceLocation
  ) {
    let buttons = page.tags.filter {
      $0.name == "button" && ($0.attribute("class")?.value.contains("finding") ?? false)
    }
    #expect(buttons.count == report.findings.count, sourceLocation: sourceLocation)
    let policy = page.contentSecurityPolicy ?? ""
    #expect(policy.hasPrefix("default-src 'none'"), sourceLocation: sourceLocation)
    #expect(page.scripts.count == 1, sourceLocation: sourceLocation)
    let hash = SHA256.base64(Array((page.scripts.first ?? "").utf8))
    #expect(policy.contains("script-src 'sha256-\(hash)'"), sourceLocation: sourceLocation)
    #expect(page.styles == [HTMLReportAssets.style], sourceLocation: sourceLocation)
    #expect(
      page.urls.filter(isRemote).isEmpty, "remote URLs on the page: \(page.urls.filter(isRemote))",
      sourceLocation: sourceLocation)
    #expect(
      page.tags.filter { $0.name == "iframe" }.count == page.frames.count, sourceLocation: sourceLocation)
    for tag in page.tags where tag.name == "iframe" {
      #expect(tag.attribute("sandbox")?.value == "allow-same-origin", sourceLocation: sourceLocation)
    }
    for frame in page.frames {
      #expect(
        frame.tags.first?.name == "meta" && frame.contentSecurityPolicy == DraftPreview.documentPolicy,
        sourceLocation: sourceLocation)
      #expect(
        frame.urls.filter(isRemote).isEmpty, "remote URLs in a frame: \(frame.urls.filter(isRemote))",
        sourceLocation: sourceLocation)
      for source in frame.attributeValues(["src", "background"]) {
        #expect(
          source.hasPrefix("data:image/"), "frame loads \(source.prefix(60))", sourceLocation: sourceLocation)
      }
      #expect(
        !frame.tags.contains { ["script", "iframe", "object", "embed", "base", "link"].contains($0.name) },
        sourceLocation: sourceLocation)
      #expect(
        !frame.tags.contains { $0.attributes.contains { $0.name.hasPrefix("on") } },
        sourceLocation: sourceLocation)
    }
    let lists: [String] = page.frames.flatMap { $0.attributeValues(["data-sendlint-finding"]) }
    var pinned: [String] = []
    for list in lists { for number in list.split(separator: " ") { pinned.append(String(number)) } }
    #expect(lists.allSatisfy { !$0.isEmpty }, "empty pin lists", sourceLocation: sourceLocation)
    for number in pinned {
      #expect(
        Int(number).map { $0 >= 1 && $0 <= report.findings.count } ?? false, "pin \(number)",
        sourceLocation: sourceLocation)
    }
  }

  @Test(arguments: ["ms03-026", "ms03-026-fixed", "newsletter"])
  func examplesRenderWithEveryFindingAndNothingRemote(example: String) throws {
    let (html, report) = Self.render(["Examples/" + example], in: TestPaths.packageRoot)
    #expect(report.diagnostics.isEmpty)
    let page = Page(html)
    Self.checkInvariants(page, report: report)
    #expect(page.frames.count >= report.previews.count)
    if example == "ms03-026" {
      #expect(report.findings.count > 20)
      // The 2003 mail's links are pinned in the message, the click rewrite is their title, the
      // Received path names the vendor that owns the sending IP.
      let pinned = page.frames.flatMap { $0.tags.filter { $0.attribute("data-sendlint-finding") != nil } }
      #expect(pinned.contains { $0.name == "a" })
      #expect(
        page.frames.flatMap { $0.tags }.contains {
          $0.name == "a" && $0.attribute("href")?.value == "#"
            && ($0.attribute("title")?.value.contains("email.microsoft.com") ?? false)
        })
      #expect(page.text.contains("sending IP 209.11.138.97"))
      #expect(page.text.contains("Digital Impact"))
      let bodyPinned = report.previews.flatMap(\.findings).filter { $0.pinnedIn == "body" }
      #expect(bodyPinned.count >= 6)
    }
  }

  @Test func hostileDraftIsEscapedAndInert() throws {
    let eml = """
      From: "Evil <script>alert(1)</script>" <a@contoso.com>\r
      Subject: "><script>alert(2)</script></iframe><img src=x onerror=alert(3)>\r
      MIME-Version: 1.0\r
      Content-Type: text/html; charset=utf-8\r
      \r
      <html><head><base href="https://evil.example/"><link rel=stylesheet href="https://evil.example/s.css">\r
      <meta http-equiv="refresh" content="0;url=https://evil.example/">\r
      <style>@import url(https://evil.example/i.css); body { position: fixed; top: 0; left: 0; width: 100vw; height: 100vh; z-index: 99999; background: url('https://evil.example/bg.png') }</style></head>\r
      <body onload="alert(4)"><p>text with </iframe><script>alert(5)</script> and "><b>bold</b></p>\r
      <a href="javascript:alert(6)">Click</a> <a href="https://www.contoso.com/x" onclick="alert(7)">www.contoso.com</a>\r
      <img src="https://tracker.example/open.gif?u=1" width="1" height="1"> <img src="//cdn.example/logo.png" width="200" height="50">\r
      <div style="background-image: url(http://evil.example/a.png); position: fixed">box</div>\r
      <iframe src="https://evil.example/frame"></iframe><object data="https://evil.example/o"></object>\r
      <svg><image href="https://evil.example/svg.png"/></svg><a data-sendlint-finding="1" href="https://www.contoso.com/spoof">spoof</a>\r
      </body></html>\r

      """
    let directory = try Self.folder(["hostile.eml": eml])
    defer { try? FileManager.default.removeItem(atPath: directory) }
    let (html, report) = Self.render(["hostile.eml"], in: directory)
    let page = Page(html)
    Self.checkInvariants(page, report: report)
    // The subject and display name are text on the page, never markup.
    #expect(page.text.contains("<script>alert(2)</script></iframe>"))
    #expect(page.text.contains("Evil <script>alert(1)</script>"))
    #expect(!page.tags.contains { $0.name == "img" })
    #expect(page.tags.filter { $0.name == "iframe" }.count == 1)
    let frame = try #require(page.frames.first)
    #expect(frame.text.contains("text with </iframe>") || frame.text.contains("text with "))
    #expect(
      !frame.tags.contains {
        $0.name == "script" || $0.name == "base" || $0.name == "link" || $0.name == "iframe"
          || $0.name == "object"
      })
    #expect(
      !frame.tags.contains {
        $0.name == "meta" && $0.attribute("http-equiv")?.value.lowercased() == "refresh"
      })
    // Every link is inert; the javascript: href is shown in the findings panel only as text.
    #expect(frame.tags.filter { $0.name == "a" }.allSatisfy { $0.attribute("href")?.value == "#" })
    #expect(!frame.styles.joined().lowercased().contains("@import"))
    // Remote images are placeholders labelled with their host, of their size.
    let placeholders = frame.tags.filter { $0.name == "img" }.compactMap { $0.attribute("src")?.value }
      .filter { $0.hasPrefix("data:image/svg+xml;base64,") }
      .compactMap {
        Data(base64Encoded: String($0.dropFirst("data:image/svg+xml;base64,".count))).map {
          String(decoding: $0, as: UTF8.self)
        }
      }
    #expect(placeholders.contains { $0.contains("tracker.example") && $0.contains("width=\"1\"") })
    #expect(
      placeholders.contains {
        $0.contains("cdn.example") && $0.contains("width=\"200\"") && $0.contains("height=\"50\"")
      })
    // The message's own data-sendlint-finding cannot pin a finding.
    #expect(
      !frame.tags.contains {
        $0.name == "a" && $0.attribute("data-sendlint-finding")?.value == "1" && frame.text.contains("spoof")
          && report.findings.isEmpty
      })
    let spoof = frame.tags.filter { $0.name == "a" }.last
    #expect(spoof?.attribute("data-sendlint-finding") == nil)
  }

  @Test func contentIDImagesAreEmbeddedFromTheMessage() throws {
    let eml = """
      From: news@contoso.com\r
      Subject: cid\r
      MIME-Version: 1.0\r
      Content-Type: multipart/related; boundary="b"\r
      \r
      --b\r
      Content-Type: text/html; charset=utf-8\r
      \r
      <p><img src="cid:logo@contoso.com" alt="logo" width="10" height="10"></p>\r
      --b\r
      Content-Type: image/png\r
      Content-ID: <logo@contoso.com>\r
      Content-Transfer-Encoding: base64\r
      \r
      iVBORw0KGgo=\r
      --b--\r

      """
    let directory = try Self.folder(["cid.eml": eml])
    defer { try? FileManager.default.removeItem(atPath: directory) }
    let (html, report) = Self.render(["cid.eml"], in: directory)
    let page = Page(html)
    Self.checkInvariants(page, report: report)
    let sources = page.frames.first?.attributeValues(["src"]) ?? []
    #expect(sources.contains("data:image/png;base64,iVBORw0KGgo="))
  }

  @Test func linkFindingsShowShownTextAndRealDestination() throws {
    let html =
      "<p><a href=\"https://evil.example/login?next=https%3A%2F%2Fwww.contoso.com%2F\">www.contoso.com</a></p>\n"
    let directory = try Self.folder(["mail.html": html])
    defer { try? FileManager.default.removeItem(atPath: directory) }
    let (rendered, report) = Self.render(["mail.html"], in: directory)
    let page = Page(rendered)
    Self.checkInvariants(page, report: report)
    let links = try #require(report.previews.first?.links)
    let mismatch = try #require(links.keys.min(), "no finding about the link: \(report.findings.map(\.rule))")
    let detail = try #require(links[mismatch])
    #expect(detail.shownText == "www.contoso.com")
    #expect(detail.href.hasPrefix("https://evil.example/login"))
    #expect(detail.embeddedTargets == ["https://www.contoso.com/"])
    #expect(page.text.contains("real destination"))
    #expect(page.text.contains("mail.html:1:"))
    // Pinned on the link element in the frame, with the finding's 1-based number.
    let anchor = page.frames.first?.tags.first { $0.name == "a" }
    #expect(
      anchor?.attribute("data-sendlint-finding")?.value.split(separator: " ").contains(
        Substring(String(mismatch + 1))) ?? false)
  }

  @Test func quietRenumbersPins() throws {
    let html =
      "<p><a href=\"http://www.contoso.com/\">www.contoso.com</a> <img src=\"https://t.example/p.gif\" width=\"1\" height=\"1\"></p>\n"
    let directory = try Self.folder(["mail.html": html])
    defer { try? FileManager.default.removeItem(atPath: directory) }
    var request = LintRequest(paths: ["mail.html"], workingDirectory: directory)
    request.buildsPreviews = true
    let full = Engine().lint(request)
    let quiet = full.filteringFindings { $0.severity >= .error }
    #expect(quiet.findings.count < full.findings.count)
    let rendered = HTMLReportFormatter.format(
      findings: quiet.findings, diagnostics: [], previews: quiet.previews, draftCount: 1, toolVersion: "t")
    Self.checkInvariants(Page(rendered), report: quiet)
  }

  @Test func sha256AndBase64MatchTheStandardVectors() {
    #expect(SHA256.hex([]) == "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855")
    #expect(
      SHA256.hex(Array("abc".utf8)) == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
    #expect(
      SHA256.hex(Array("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq".utf8))
        == "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1")
    #expect(
      SHA256.hex([UInt8](repeating: 0x61, count: 1_000_000))
        == "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0")
    #expect(
      SHA256.hex([UInt8](repeating: 0x61, count: 55)) != SHA256.hex([UInt8](repeating: 0x61, count: 56)))
    #expect(
      ["", "f", "fo", "foo", "foob", "fooba", "foobar"].map { Base64.encode(Array($0.utf8)) } == [
        "", "Zg==", "Zm8=", "Zm9v", "Zm9vYg==", "Zm9vYmE=", "Zm9vYmFy",
      ])
  }
}

extension HTMLReportTests {
  @Test func oversizedBodyIsListedNotPreviewed() throws {
    let body = String(repeating: "<a href=\"https://x.example/\">x</a>", count: (4 * 1024 * 1024) / 33 + 10)
    let directory = try Self.folder(["big.html": body])
    defer { try? FileManager.default.removeItem(atPath: directory) }
    let (html, report) = Self.render(["big.html"], in: directory)
    let preview = try #require(report.previews.first)
    #expect(preview.document == nil)
    #expect(preview.notes.contains { $0.contains("over the 4 MiB the preview shows") })
    Self.checkInvariants(Page(html), report: report)
  }
}

extension HTMLReportTests {
  @Test func wholeMessageFindingsAreNotPinnedToTheFirstHeader() throws {
    let eml =
      "From: a@contoso.com\r\nSubject: s\r\nMIME-Version: 1.0\r\nContent-Type: text/html\r\n\r\n<p>hi</p>\r\n"
    let directory = try Self.folder(["m.eml": eml])
    defer { try? FileManager.default.removeItem(atPath: directory) }
    let (_, report) = Self.render(["m.eml"], in: directory)
    let preview = try #require(report.previews.first)
    let missingDate = try #require(report.findings.firstIndex { $0.message.contains("no Date field") })
    #expect(preview.findings.first { $0.index == missingDate }?.pinnedIn == nil)
    #expect(preview.headers.allSatisfy { !$0.findings.contains(missingDate) })
  }
}
