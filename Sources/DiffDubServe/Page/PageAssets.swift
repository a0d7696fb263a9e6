/// The page of `diffdub serve`, served from the binary (no build step, no CDN, works offline):
/// `/` is ``indexHTML``, `/app.js` is ``appJS``, `/style.css` is ``styleCSS``.
///
/// The page talks to the JSON API only (Docs/SERVE.md): it uploads with `POST /api/jobs`, lists
/// `GET /api/jobs`, follows each unfinished job's `GET /api/jobs/{id}/events` and shows the
/// face-track preview (`preview.png`) and the latest rendered frame (`frame.png`). With a
/// server token, the first 401 asks for it once; it is kept in the browser's localStorage and
/// sent as `Authorization: Bearer`, and as `?token=` where a header cannot be set (event
/// streams, images, the download link).
enum PageAssets {
    /// The HTML of `/`.
    static let indexHTML = #"""
        <!doctype html>
        <html lang="en">
        <head>
        <meta charset="utf-8">
        <meta name="viewport" content="width=device-width, initial-scale=1">
        <title>DiffDub</title>
        <link rel="icon" href="data:,">
        <link rel="stylesheet" href="/style.css">
        </head>
        <body>
        <header class="top">
          <h1>DiffDub</h1>
          <p class="tagline">Lip-sync dubbing on this machine: drop in a clip and a speech track, watch it render, download the MP4.</p>
          <span id="health" class="health" title="server health">connecting…</span>
        </header>
        <main>
          <section class="card" aria-labelledby="new-title">
            <h2 id="new-title">New dub</h2>
            <form id="upload" autocomplete="off">
              <label class="file">
                <span>Video or portrait image</span>
                <input type="file" id="clip" name="clip" accept="video/*,image/png" required>
                <small>Any video ffmpeg reads, or one PNG portrait.</small>
              </label>
              <label class="file">
                <span>Speech audio</span>
                <input type="file" id="audio" name="audio" accept="audio/*,video/*,.wav">
                <small>Muxed into the MP4; the server computes the features from it when no .npy is given (with its Hubert model).</small>
              </label>
              <label class="file">
                <span>Hubert features <em>(optional)</em></span>
                <input type="file" id="hubert" name="hubert" accept=".npy">
                <small>A <code>.npy</code> of the 25 hidden states, as <code>diffdub hubert</code> writes.</small>
              </label>
              <details class="options">
                <summary>Options</summary>
                <div class="grid">
                  <label>Steps <input type="number" name="steps" min="1" max="1000" placeholder="20"></label>
                  <label>Sampler
                    <select name="sampler"><option value="">default (ddim)</option><option>ddim</option><option>dpmpp2m</option></select>
                  </label>
                  <label>Fit
                    <select name="fit"><option value="">default (speech)</option><option>speech</option><option>shortest</option></select>
                  </label>
                  <label>Frame rate
                    <select name="fps"><option value="">default (25)</option><option value="25">25</option><option value="source">source</option></select>
                  </label>
                  <label>Precision
                    <select name="precision"><option value="">default (fp32)</option><option>fp32</option><option>bf16</option></select>
                  </label>
                  <label>Seed <input type="number" name="seed" min="0" placeholder="0"></label>
                  <label>Reference frame <input type="number" name="reference_frame" min="0" placeholder="0"></label>
                  <label>Speaker <input type="text" name="speaker" list="speaker-choices" pattern="[0-9]+|auto" inputmode="text" placeholder="widest face" title="the face to dub, counted from the left (0 = leftmost), or auto: the face that speaks in each shot (needs the video's own audio)"></label>
                  <datalist id="speaker-choices"><option value="auto"></option><option value="0"></option><option value="1"></option></datalist>
                  <label class="check"><input type="checkbox" name="one_shot" checked> One-shot (lip reference from one frame)</label>
                </div>
              </details>
              <div class="actions">
                <button type="submit" id="submit">Start dubbing</button>
                <progress id="upload-progress" max="1" value="0" hidden></progress>
                <span id="upload-status" role="status"></span>
              </div>
            </form>
          </section>
          <section class="card" aria-labelledby="jobs-title">
            <h2 id="jobs-title">Jobs</h2>
            <p id="jobs-empty" class="muted">No jobs yet.</p>
            <ol id="jobs" class="jobs"></ol>
          </section>
        </main>
        <dialog id="token-dialog">
          <form method="dialog" id="token-form">
            <h2>Access token</h2>
            <p>This server needs its token (the <code>--token</code> it was started with). It is kept in this browser.</p>
            <input type="password" id="token-input" autocomplete="current-password" required>
            <div class="actions"><button type="submit">Continue</button></div>
          </form>
        </dialog>
        <template id="job-template">
          <li class="job">
            <div class="job-head">
              <span class="status"></span>
              <code class="job-id"></code>
              <span class="created muted"></span>
            </div>
            <div class="progress-line">
              <progress max="1" value="0"></progress>
              <span class="progress-text"></span>
            </div>
            <p class="error" hidden></p>
            <p class="options-line muted"></p>
            <div class="pictures">
              <figure class="preview" hidden><img alt="tracked faces"><figcaption>Face tracks</figcaption></figure>
              <figure class="frame" hidden><img alt="latest rendered frame"><figcaption>Latest frame</figcaption></figure>
            </div>
            <div class="buttons">
              <a class="button download" hidden download>Download MP4</a>
              <button type="button" class="cancel" hidden>Cancel</button>
              <button type="button" class="delete secondary">Delete</button>
            </div>
          </li>
        </template>
        <script src="/app.js"></script>
        </body>
        </html>
        """#

    /// The script of `/app.js`.
    static let appJS = #"""
        "use strict";
        // DiffDub's page: the upload form, the job list, live progress from the event streams.
        (() => {
          const TOKEN_KEY = "diffdub.token";
          const ACTIVE = new Set(["queued", "preparing", "rendering", "finishing"]);
          const jobs = new Map();      // id -> last known job object
          const views = new Map();     // id -> <li>
          const streams = new Map();   // id -> EventSource
          let tokenPromise = null;

          const $ = (selector, root = document) => root.querySelector(selector);
          const token = () => localStorage.getItem(TOKEN_KEY) || "";

          // Adds ?token= to URLs a header cannot accompany (images, links, event streams).
          function withToken(url) {
            const t = token();
            if (!t) return url;
            return url + (url.includes("?") ? "&" : "?") + "token=" + encodeURIComponent(t);
          }

          // Asks for the token once (concurrent 401s share the one question).
          function askToken() {
            if (!tokenPromise) {
              tokenPromise = new Promise((resolve) => {
                const dialog = $("#token-dialog");
                const input = $("#token-input");
                input.value = "";
                $("#token-form").onsubmit = () => {
                  localStorage.setItem(TOKEN_KEY, input.value.trim());
                  tokenPromise = null;
                  resolve();
                };
                // Escape would leave every request waiting for a token: the dialog stays.
                dialog.oncancel = (event) => event.preventDefault();
                dialog.showModal();
                input.focus();
              });
            }
            return tokenPromise;
          }

          // fetch with the token; on 401 asks for it and tries again.
          async function api(path, options = {}) {
            for (;;) {
              const headers = Object.assign({}, options.headers || {});
              if (token()) headers["Authorization"] = "Bearer " + token();
              const response = await fetch(path, Object.assign({}, options, { headers }));
              if (response.status !== 401) return response;
              await askToken();
            }
          }

          async function errorText(response) {
            try {
              const body = await response.json();
              if (body && body.error) return body.error;
            } catch (_) { /* not JSON */ }
            return "HTTP " + response.status;
          }

          // MARK: formatting

          function duration(seconds) {
            if (seconds == null || !isFinite(seconds)) return "";
            seconds = Math.max(0, Math.round(seconds));
            const h = Math.floor(seconds / 3600), m = Math.floor((seconds % 3600) / 60), s = seconds % 60;
            if (h > 0) return h + " h " + String(m).padStart(2, "0") + " min";
            if (m > 0) return m + " min " + String(s).padStart(2, "0") + " s";
            return s + " s";
          }

          function when(created) {
            if (created == null) return "";
            const date = typeof created === "number" ? new Date(created * 1000) : new Date(created);
            return isNaN(date) ? String(created) : date.toLocaleString();
          }

          function optionsSummary(options) {
            if (!options || typeof options !== "object") return "";
            return Object.keys(options).sort()
              .filter((key) => options[key] !== null && options[key] !== undefined && options[key] !== "")
              .map((key) => key + " " + options[key]).join(" · ");
          }

          // MARK: the job list

          function view(id) {
            let li = views.get(id);
            if (li) return li;
            li = $("#job-template").content.firstElementChild.cloneNode(true);
            li.dataset.id = id;
            $(".job-id", li).textContent = id;
            $(".cancel", li).addEventListener("click", () => cancel(id));
            $(".delete", li).addEventListener("click", () => remove(id));
            for (const img of li.querySelectorAll("img")) {
              img.addEventListener("load", () => { img.parentElement.hidden = false; });
              img.addEventListener("error", () => { img.parentElement.hidden = true; });
            }
            views.set(id, li);
            $("#jobs").prepend(li);
            return li;
          }

          function render(job) {
            const li = view(job.id);
            const status = job.status || "queued";
            li.className = "job state-" + status;
            const badge = $(".status", li);
            badge.textContent = status;
            badge.className = "status status-" + status;
            $(".created", li).textContent = when(job.created);

            const p = job.progress || {};
            const bar = $(".progress-line progress", li);
            const total = Number(p.total) || 0, completed = Number(p.completed) || 0;
            if (status === "done") { bar.max = 1; bar.value = 1; }
            else if (total > 0) { bar.max = total; bar.value = completed; }
            else if (status === "preparing") bar.removeAttribute("value");  // indeterminate
            else { bar.max = 1; bar.value = 0; }
            const parts = [];
            if (ACTIVE.has(status) && p.stage) parts.push(p.stage);
            if (total > 0) parts.push(completed + " / " + total + (status === "rendering" ? " frames" : ""));
            if (status === "rendering" && p.steps) parts.push("step " + (p.step || 0) + " / " + p.steps);
            if (ACTIVE.has(status) && p.eta_s != null) parts.push(duration(p.eta_s) + " left");
            if (job.resumed_frames) parts.push(job.resumed_frames + " resumed after a restart");
            $(".progress-text", li).textContent = parts.join(" · ");

            const error = $(".error", li);
            error.hidden = !job.error;
            error.textContent = job.error || "";
            const files = job.inputs && typeof job.inputs === "object" ? Object.values(job.inputs).join(", ") : "";
            $(".options-line", li).textContent = [files, optionsSummary(job.options)].filter(Boolean).join(" · ");

            const base = "/api/jobs/" + encodeURIComponent(job.id);
            const preview = $(".preview img", li);
            if (status !== "queued" && status !== "preparing" && !preview.dataset.loaded) {
              preview.dataset.loaded = "1";
              preview.src = withToken(base + "/preview.png");
            }
            const frame = $(".frame img", li);
            if (status === "rendering" && completed > 0 && frame.dataset.completed !== String(completed)) {
              frame.dataset.completed = String(completed);
              frame.src = withToken(base + "/frame.png?completed=" + completed);
            } else if (status !== "rendering" && status !== "finishing") {
              $(".frame", li).hidden = true;
            }

            const download = $(".download", li);
            download.hidden = status !== "done";
            download.href = withToken(base + "/output");
            download.setAttribute("download", "dub-" + job.id + ".mp4");
            $(".cancel", li).hidden = !ACTIVE.has(status);

            $("#jobs-empty").hidden = views.size > 0;
            if (ACTIVE.has(status)) follow(job.id); else unfollow(job.id);
          }

          function merge(id, update) {
            const job = Object.assign({}, jobs.get(id) || { id }, update);
            jobs.set(id, job);
            render(job);
          }

          function forget(id) {
            unfollow(id);
            jobs.delete(id);
            const li = views.get(id);
            if (li) li.remove();
            views.delete(id);
            $("#jobs-empty").hidden = views.size > 0;
          }

          // Live progress: one event stream per unfinished job. An event carries the job (or its
          // progress); the browser reconnects a dropped stream by itself.
          function follow(id) {
            if (streams.has(id)) return;
            const source = new EventSource(withToken("/api/jobs/" + encodeURIComponent(id) + "/events"));
            const handle = (event) => {
              let data;
              try { data = JSON.parse(event.data); } catch (_) { return; }
              if (!data || typeof data !== "object") return;
              if ("status" in data || "progress" in data) merge(id, data);
              else if ("completed" in data || "total" in data) merge(id, { progress: data });
            };
            source.onmessage = handle;
            // The server names its events `job` (the whole job) and `deleted`.
            for (const name of ["job", "progress", "status"]) source.addEventListener(name, handle);
            source.addEventListener("deleted", () => forget(id));
            source.onerror = () => {
              // A closed stream of a finished job, or a server restart: re-read the job.
              if (source.readyState === EventSource.CLOSED) { streams.delete(id); refreshJob(id); }
            };
            streams.set(id, source);
          }

          function unfollow(id) {
            const source = streams.get(id);
            if (source) source.close();
            streams.delete(id);
          }

          async function refreshJob(id) {
            const response = await api("/api/jobs/" + encodeURIComponent(id));
            if (response.status === 404) return forget(id);
            if (response.ok) merge(id, await response.json());
          }

          async function refreshAll() {
            try {
              const response = await api("/api/jobs");
              if (!response.ok) throw new Error(await errorText(response));
              const list = (await response.json()).jobs || [];
              const seen = new Set();
              // Oldest first, so prepend leaves the newest on top.
              const order = (a, b) => (typeof a.created === "number" && typeof b.created === "number")
                ? a.created - b.created : String(a.created).localeCompare(String(b.created));
              list.slice().sort(order)
                .forEach((job) => { seen.add(job.id); merge(job.id, job); });
              for (const id of Array.from(views.keys())) if (!seen.has(id)) forget(id);
              setHealth(true);
            } catch (error) {
              setHealth(false, error.message);
            }
          }

          function setHealth(ok, message) {
            const health = $("#health");
            health.textContent = ok ? "connected" : "offline";
            health.className = "health " + (ok ? "ok" : "down");
            health.title = ok ? "the server answers" : (message || "the server does not answer");
          }

          async function cancel(id) {
            const response = await api("/api/jobs/" + encodeURIComponent(id) + "/cancel", { method: "POST" });
            if (!response.ok) return alert(await errorText(response));
            refreshJob(id);
          }

          async function remove(id) {
            if (!confirm("Delete job " + id + " and its files?")) return;
            const response = await api("/api/jobs/" + encodeURIComponent(id), { method: "DELETE" });
            if (!response.ok && response.status !== 404) return alert(await errorText(response));
            forget(id);
          }

          // MARK: the upload form

          // Posts the form with upload progress (XMLHttpRequest reports it; fetch does not).
          function post(form) {
            return new Promise((resolve, reject) => {
              const request = new XMLHttpRequest();
              request.open("POST", "/api/jobs");
              if (token()) request.setRequestHeader("Authorization", "Bearer " + token());
              const bar = $("#upload-progress");
              bar.hidden = false;
              bar.value = 0;
              request.upload.onprogress = (event) => {
                if (event.lengthComputable) bar.value = event.loaded / event.total;
              };
              request.onload = () => { bar.hidden = true; resolve(request); };
              request.onerror = () => { bar.hidden = true; reject(new Error("the upload failed (is the server running?)")); };
              request.send(form);
            });
          }

          function formData() {
            const form = $("#upload");
            const data = new FormData();
            const clip = $("#clip").files[0];
            if (clip) {
              const isImage = clip.type.startsWith("image/") || /\.png$/i.test(clip.name);
              data.append(isImage ? "image" : "video", clip, clip.name);
            }
            const audio = $("#audio").files[0];
            if (audio) data.append("audio", audio, audio.name);
            const hubert = $("#hubert").files[0];
            if (hubert) data.append("hubert", hubert, hubert.name);
            for (const name of ["steps", "sampler", "fit", "fps", "precision", "seed", "reference_frame", "speaker"]) {
              const value = form.elements[name].value.trim();
              if (value !== "") data.append(name, value);
            }
            data.append("one_shot", form.elements["one_shot"].checked ? "true" : "false");
            return data;
          }

          async function submit(event) {
            event.preventDefault();
            const status = $("#upload-status");
            const button = $("#submit");
            if (!$("#audio").files[0] && !$("#hubert").files[0]) {
              status.textContent = "Give the speech: an audio file, Hubert features, or both.";
              status.className = "bad";
              return;
            }
            button.disabled = true;
            status.className = "";
            status.textContent = "Uploading…";
            try {
              for (;;) {
                const request = await post(formData());
                if (request.status === 401) { await askToken(); continue; }
                let body = {};
                try { body = JSON.parse(request.responseText); } catch (_) { /* not JSON */ }
                if (request.status === 201 || request.status === 200) {
                  status.textContent = "Queued as " + body.id + ".";
                  status.className = "good";
                  $("#upload").reset();
                  merge(body.id, body);
                  refreshJob(body.id);
                } else {
                  status.textContent = body.error || ("HTTP " + request.status);
                  status.className = "bad";
                }
                break;
              }
            } catch (error) {
              status.textContent = error.message;
              status.className = "bad";
            } finally {
              button.disabled = false;
            }
          }

          $("#upload").addEventListener("submit", submit);
          refreshAll();
          // The list itself (jobs added or removed elsewhere); progress comes from the streams.
          setInterval(refreshAll, 5000);
        })();
        """#

    /// The style sheet of `/style.css`.
    static let styleCSS = #"""
        :root {
          --bg: #f5f6f8; --card: #ffffff; --ink: #1d2330; --muted: #6a7385; --line: #dde1e8;
          --accent: #3056d3; --accent-ink: #ffffff; --good: #1f8a4c; --bad: #c0392b; --warn: #b7791f;
          color-scheme: light dark;
        }
        @media (prefers-color-scheme: dark) {
          :root { --bg: #14171d; --card: #1c2029; --ink: #e6e9ef; --muted: #98a1b3; --line: #2e3440; --accent: #6d8cff; }
        }
        * { box-sizing: border-box; }
        [hidden] { display: none !important; }
        body {
          margin: 0; background: var(--bg); color: var(--ink);
          font: 15px/1.5 system-ui, -apple-system, "Segoe UI", Roboto, "DejaVu Sans", sans-serif;
        }
        .top {
          display: flex; flex-wrap: wrap; align-items: baseline; gap: 0.25rem 1rem;
          padding: 1.25rem 2rem; border-bottom: 1px solid var(--line); background: var(--card);
        }
        .top h1 { margin: 0; font-size: 1.5rem; letter-spacing: 0.02em; }
        .tagline { margin: 0; color: var(--muted); flex: 1; }
        .health { font-size: 0.85rem; color: var(--muted); }
        .health::before { content: "●"; margin-right: 0.35em; }
        .health.ok::before { color: var(--good); }
        .health.down::before { color: var(--bad); }
        main {
          display: grid; grid-template-columns: minmax(18rem, 26rem) 1fr; gap: 1.5rem;
          padding: 1.5rem 2rem; align-items: start;
        }
        @media (max-width: 60rem) { main { grid-template-columns: 1fr; padding: 1rem; } }
        .card { background: var(--card); border: 1px solid var(--line); border-radius: 10px; padding: 1.25rem 1.5rem; }
        .card h2 { margin: 0 0 1rem; font-size: 1.1rem; }
        label { display: block; }
        label.file { margin-bottom: 1rem; }
        label.file span { display: block; font-weight: 600; margin-bottom: 0.25rem; }
        label small, .muted { color: var(--muted); }
        label small { display: block; font-size: 0.8rem; margin-top: 0.2rem; }
        input, select, button, .button { font: inherit; }
        input[type="number"], input[type="text"], input[type="password"], select {
          width: 100%; padding: 0.35rem 0.5rem; border: 1px solid var(--line); border-radius: 6px;
          background: var(--bg); color: var(--ink);
        }
        input[type="file"] { width: 100%; }
        .options { margin: 0.5rem 0 1rem; }
        .options summary { cursor: pointer; font-weight: 600; }
        .grid { display: grid; grid-template-columns: 1fr 1fr; gap: 0.6rem 0.9rem; margin-top: 0.75rem; font-size: 0.9rem; }
        .grid .check { grid-column: 1 / -1; }
        .actions { display: flex; align-items: center; gap: 0.75rem; flex-wrap: wrap; }
        button, .button {
          display: inline-block; padding: 0.45rem 1rem; border: 1px solid var(--accent); border-radius: 6px;
          background: var(--accent); color: var(--accent-ink); cursor: pointer; text-decoration: none;
        }
        button:disabled { opacity: 0.6; cursor: progress; }
        button.secondary, .button.secondary { background: transparent; color: var(--ink); border-color: var(--line); }
        button.cancel { background: transparent; color: var(--warn); border-color: var(--warn); }
        #upload-status.good { color: var(--good); }
        #upload-status.bad { color: var(--bad); }
        .jobs { list-style: none; margin: 0; padding: 0; display: grid; gap: 1rem; }
        .job { border: 1px solid var(--line); border-radius: 8px; padding: 0.9rem 1rem; }
        .job-head { display: flex; align-items: center; gap: 0.75rem; flex-wrap: wrap; }
        .job-id { font-size: 0.85rem; }
        .created { margin-left: auto; font-size: 0.85rem; }
        .status {
          font-size: 0.75rem; font-weight: 700; text-transform: uppercase; letter-spacing: 0.05em;
          padding: 0.1rem 0.55rem; border-radius: 999px; background: var(--line); color: var(--ink);
        }
        .status-rendering, .status-preparing, .status-finishing { background: var(--accent); color: var(--accent-ink); }
        .status-done { background: var(--good); color: #fff; }
        .status-failed { background: var(--bad); color: #fff; }
        .status-cancelled { background: var(--muted); color: #fff; }
        .progress-line { display: flex; align-items: center; gap: 0.75rem; margin: 0.6rem 0 0.2rem; }
        .progress-line progress { flex: 1; height: 0.7rem; accent-color: var(--accent); }
        .progress-text { font-size: 0.85rem; color: var(--muted); white-space: nowrap; }
        .error { color: var(--bad); margin: 0.4rem 0; }
        .options-line { font-size: 0.8rem; margin: 0.2rem 0 0.5rem; }
        .pictures { display: flex; gap: 1rem; align-items: flex-start; }
        .pictures figure { margin: 0; min-width: 0; }
        .pictures img {
          display: block; max-width: 100%; border-radius: 6px; border: 1px solid var(--line); background: var(--bg);
        }
        .preview img { height: auto; max-height: 8rem; }
        /* The renderer's frames are small (model resolution): shown large, pixels kept sharp. */
        .frame { flex: none; }
        .frame img { width: 8rem; height: 8rem; object-fit: contain; image-rendering: pixelated; }
        .pictures figcaption { font-size: 0.75rem; color: var(--muted); }
        .buttons { display: flex; gap: 0.5rem; margin-top: 0.6rem; }
        dialog { border: 1px solid var(--line); border-radius: 10px; background: var(--card); color: var(--ink); max-width: 24rem; }
        dialog::backdrop { background: rgba(0, 0, 0, 0.35); }
        dialog h2 { margin-top: 0; font-size: 1.1rem; }
        dialog input { margin-bottom: 1rem; }
        code { font-family: ui-monospace, "DejaVu Sans Mono", monospace; }
        """#
}
