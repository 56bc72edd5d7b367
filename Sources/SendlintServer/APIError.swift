import Foundation
import Hummingbird

/// A refused request: status, a stable code and a message that quotes the offending value
/// (escaped) and says how to fix it. Its body is `{"error": {"code": ..., "message": ...}}`.
struct APIError: Error, Sendable {
  let status: HTTPResponse.Status
  let code: String
  let message: String
  var headers: HTTPFields = [:]

  init(_ status: HTTPResponse.Status, _ code: String, _ message: String) {
    self.status = status
    self.code = code
    self.message = message
  }

  var response: Response {
    struct Body: Encodable {
      struct Inner: Encodable {
        let code: String
        let message: String
      }
      let error: Inner
    }
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
    // Two strings cannot fail to encode.
    let data = (try? encoder.encode(Body(error: .init(code: code, message: message)))) ?? Data()
    var fields = headers
    fields[.contentType] = "application/json"
    return Response(
      status: status, headers: fields, body: .init(byteBuffer: ByteBuffer(bytes: Array(data) + [10])))
  }
}
