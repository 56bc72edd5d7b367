import Foundation
import Prometheus

/// What `/metrics` reports, in the Prometheus text format. Label values come from fixed sets
/// (status codes, route names, rule ids, rejection reasons), never from a client's bytes.
public final class ServerMetrics: Sendable {
  let registry = PrometheusCollectorRegistry()
  private let latency: DurationHistogram

  init() {
    latency = registry.makeDurationHistogram(
      name: "sendlint_http_request_duration_seconds",
      buckets: [
        .milliseconds(1), .milliseconds(5), .milliseconds(10), .milliseconds(25), .milliseconds(50),
        .milliseconds(100),
        .milliseconds(250), .milliseconds(500), .seconds(1), .milliseconds(2500), .seconds(5), .seconds(10),
        .seconds(30),
      ],
      help: "Time from a request's arrival to its response, every route")
    _ = registry.makeCounter(
      name: "sendlint_policy_reloads_total", labels: [("result", "ok")], help: "SIGHUP policy reloads")
    _ = registry.makeCounter(
      name: "sendlint_policy_reloads_total", labels: [("result", "failed")], help: "SIGHUP policy reloads")
  }

  func request(route: String, status: Int, duration: Duration) {
    registry.makeCounter(
      name: "sendlint_http_requests_total", labels: [("route", route), ("status", String(status))],
      help: "HTTP requests answered, by route and status"
    ).increment()
    latency.record(duration)
  }

  func findings(_ counts: [String: Int]) {
    for (rule, count) in counts {
      registry.makeCounter(
        name: "sendlint_findings_total", labels: [("rule", rule)], help: "Findings reported, by rule"
      ).increment(by: Int64(count))
    }
  }

  func rejected(_ reason: String) {
    registry.makeCounter(
      name: "sendlint_rejected_inputs_total", labels: [("reason", reason)],
      help: "Requests refused before or instead of a report, by error code"
    ).increment()
  }

  func reload(succeeded: Bool) {
    registry.makeCounter(
      name: "sendlint_policy_reloads_total", labels: [("result", succeeded ? "ok" : "failed")],
      help: "SIGHUP policy reloads"
    )
    .increment()
  }

  func text() -> String { registry.emitToString() }
}
