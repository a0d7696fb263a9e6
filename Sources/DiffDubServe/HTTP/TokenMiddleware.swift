import Hummingbird

/// With a token, every request but the page's (`/`, `/app.js`, `/style.css`) needs
/// `Authorization: Bearer <token>`; a GET may carry it as `?token=<token>` instead (an
/// EventSource or a download link cannot set headers). Anything else is answered 401.
struct TokenMiddleware<Context: RequestContext>: RouterMiddleware {
    /// The token.
    let token: String

    /// Paths open without the token (the page asks for the token itself).
    static var openPaths: Set<String> { ["/", "/app.js", "/style.css"] }

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        guard !Self.openPaths.contains(request.uri.path) else { return try await next(request, context) }
        var given: Substring?
        if let header = request.headers[.authorization], header.lowercased().hasPrefix("bearer ") {
            given = header.dropFirst("bearer ".count)
        } else if request.method == .get || request.method == .head {
            given = request.uri.queryParameters["token"]
        }
        guard let given, Self.equal(Array(given.utf8), Array(token.utf8)) else {
            throw ServeError(.unauthorized, "this server needs its token: Authorization: Bearer <token> (or ?token= on a GET)")
        }
        return try await next(request, context)
    }

    /// Compares without stopping at the first difference.
    static func equal(_ a: [UInt8], _ b: [UInt8]) -> Bool {
        guard a.count == b.count else { return false }
        var difference: UInt8 = 0
        for i in a.indices { difference |= a[i] ^ b[i] }
        return difference == 0
    }
}
