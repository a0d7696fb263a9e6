import Hummingbird

/// `/`, `/app.js` and `/style.css`: the page, from ``PageAssets`` (no token needed: the page
/// asks for it).
enum PageRoutes {
    static func add(to router: Router<BasicRequestContext>) {
        router.get("/") { _, _ in asset(PageAssets.indexHTML, type: "text/html; charset=utf-8") }
        router.get("/app.js") { _, _ in asset(PageAssets.appJS, type: "text/javascript; charset=utf-8") }
        router.get("/style.css") { _, _ in asset(PageAssets.styleCSS, type: "text/css; charset=utf-8") }
    }

    static func asset(_ text: String, type: String) -> Response {
        var headers = HTTPFields()
        headers[.contentType] = type
        headers[.cacheControl] = "no-cache"
        return Response(status: .ok, headers: headers, body: ResponseBody(byteBuffer: ByteBuffer(string: text)))
    }
}
