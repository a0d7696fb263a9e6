/// The page of `diffdub serve`, served from the binary (no build step, no CDN): `/` is
/// ``indexHTML``, `/app.js` is ``appJS``, `/style.css` is ``styleCSS``.
enum PageAssets {
    /// The HTML of `/`.
    static let indexHTML = """
        <!doctype html>
        <html lang="en"><head><meta charset="utf-8"><title>DiffDub</title>
        <link rel="stylesheet" href="/style.css"></head>
        <body><h1>DiffDub</h1><p>The page is not written yet; the API is at /api.</p>
        <script src="/app.js"></script></body></html>
        """
    /// The script of `/app.js`.
    static let appJS = """
        // The page's script (placeholder).
        """
    /// The style sheet of `/style.css`.
    static let styleCSS = """
        body { font-family: sans-serif; }
        """
}
