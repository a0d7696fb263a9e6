import Foundation
import Testing

import DiffDubServe

/// `/openapi.json` is JSON, OpenAPI 3, and lists exactly the routes the server has, each with
/// the response codes they answer.
@Suite("diffdub serve: the OpenAPI document")
struct OpenAPIDocumentTests {
    /// The routes of ``APIRoutes`` and ``PageRoutes`` with the codes each may answer (401 is
    /// declared everywhere the token applies).
    static let routes: [String: [String: Set<String>]] = [
        "/": ["get": ["200"]],
        "/app.js": ["get": ["200"]],
        "/style.css": ["get": ["200"]],
        "/openapi.json": ["get": ["200", "401"]],
        "/api/health": ["get": ["200", "401"]],
        "/api/jobs": ["get": ["200", "401"], "post": ["201", "400", "401", "413", "429", "507"]],
        "/api/jobs/{id}": ["get": ["200", "401", "404"], "delete": ["204", "401", "404"]],
        "/api/jobs/{id}/cancel": ["post": ["202", "401", "404", "409"]],
        "/api/jobs/{id}/events": ["get": ["200", "401", "404"]],
        "/api/jobs/{id}/preview.png": ["get": ["200", "401", "404", "409"]],
        "/api/jobs/{id}/frame.png": ["get": ["200", "401", "404", "409"]],
        "/api/jobs/{id}/output": ["get": ["200", "401", "404", "409"]],
    ]

    @Test("parses, is OpenAPI 3, and declares every route with its response codes")
    func everyRoute() throws {
        let document = try #require(try JSONSerialization.jsonObject(with: Data(OpenAPIDocument.json.utf8)) as? [String: Any])
        #expect((document["openapi"] as? String)?.hasPrefix("3.") == true)
        let paths = try #require(document["paths"] as? [String: [String: Any]])
        #expect(Set(paths.keys) == Set(Self.routes.keys))
        for (path, methods) in Self.routes {
            let item = try #require(paths[path])
            #expect(Set(item.keys).subtracting(["parameters"]) == Set(methods.keys), "\(path)")
            for (method, codes) in methods {
                let operation = try #require(item[method] as? [String: Any], "\(method) \(path)")
                let responses = try #require(operation["responses"] as? [String: Any])
                #expect(Set(responses.keys) == codes, "\(method) \(path)")
            }
        }
        // Every reference resolves.
        let text = OpenAPIDocument.json
        let components = try #require(document["components"] as? [String: [String: Any]])
        for match in text.matches(of: /"\$ref": "#\/components\/(\w+)\/(\w+)"/) {
            #expect(components[String(match.1)]?[String(match.2)] != nil, "\(match.0)")
        }
    }
}
