"""What the end-to-end tests of `diffdub serve` share: the built binary, the fixture models,
the test clip, a server started on a free port over a temporary data folder, a small HTTP
client (JSON, multipart uploads, event streams) and ffmpeg frame decoding.

Run through scripts/test-serve.sh (it finds or builds the binary and makes the Python venv);
DIFFDUB_BIN names the `diffdub` executable. Nothing here skips: a missing binary, fixture,
ffmpeg or browser is an error that says what to install or build.
"""

import hashlib
import http.client
import json
import os
import re
import shutil
import signal
import subprocess
import tempfile
import time
import urllib.parse
import uuid

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
FIXTURES = os.path.join(ROOT, "Tests", "Fixtures")

# The small random-weight models of the pipeline fixture (image size 32, 10 frames render in
# seconds), the real FaceBoxesV2 weights of Models/ (found by default) and the random PIPNet.
STAGE1 = os.path.join(FIXTURES, "pipeline", "stage1.ckpt")
STAGE2 = os.path.join(FIXTURES, "pipeline", "stage2.ckpt")
LANDMARK_MODEL = os.path.join(FIXTURES, "pipnet", "pipnet.pth")
# Hubert features of those models ([25, 19, 32]: 10 output frames at 25 fps).
HUBERT = os.path.join(FIXTURES, "pipeline", "hubert.npy")
# A real face (public-domain NASA portrait, 512 x 512) the detector finds.
PORTRAIT = os.path.join(FIXTURES, "detector", "inputs", "portrait.png")


class Missing(Exception):
    """Something the tests need is not there (a binary, a fixture, a tool)."""


def require_file(path, what):
    if not os.path.isfile(path):
        raise Missing(f"{path}: {what} not found")
    return path


def binary():
    """The `diffdub` executable (DIFFDUB_BIN, else .build/release/diffdub)."""
    path = os.environ.get("DIFFDUB_BIN") or os.path.join(ROOT, ".build", "release", "diffdub")
    if not os.access(path, os.X_OK):
        raise Missing(f"{path}: the diffdub executable is missing; build it with `swift build -c release`")
    return path


def tool(name, package):
    path = shutil.which(name)
    if path is None:
        raise Missing(f"{name} not found on PATH: install {package} (scripts/install-system-packages.sh)")
    return path


def model_arguments():
    """The model options of `dub` and `serve` for the fixture models."""
    return [
        "--stage1", require_file(STAGE1, "stage-1 fixture"),
        "--stage2", require_file(STAGE2, "stage-2 fixture"),
        "--landmark-model", require_file(LANDMARK_MODEL, "PIPNet fixture"),
    ]


class TemporaryFolder:
    """A folder removed with everything in it when the `with` block ends."""

    def __init__(self, prefix="diffdub-serve-"):
        self.path = tempfile.mkdtemp(prefix=prefix)

    def __enter__(self):
        return self.path

    def __exit__(self, *exc):
        shutil.rmtree(self.path, ignore_errors=True)
        return False


def make_inputs(folder, seconds=0.4):
    """The test clip: the portrait held for `seconds` at 25 fps (H.264 + AAC), a 220 Hz tone
    as the speech (WAV), and the fixture Hubert features. Returns a dict of paths."""
    ffmpeg = tool("ffmpeg", "ffmpeg")
    clip = os.path.join(folder, "clip.mp4")
    speech = os.path.join(folder, "speech.wav")
    tone = "sine=frequency=220:sample_rate=16000"
    subprocess.run(
        [ffmpeg, "-v", "error", "-y", "-loop", "1", "-framerate", "25", "-i", require_file(PORTRAIT, "portrait"),
         "-f", "lavfi", "-i", tone, "-t", str(seconds), "-c:v", "libx264", "-pix_fmt", "yuv420p",
         "-c:a", "aac", "-shortest", clip], check=True)
    subprocess.run([ffmpeg, "-v", "error", "-y", "-f", "lavfi", "-i", tone, "-t", str(seconds), speech], check=True)
    return {"video": clip, "audio": speech, "hubert": require_file(HUBERT, "Hubert fixture")}


def decoded_frames(path):
    """The frames of a video decoded to raw RGB: (frame count, [sha256 of each frame])."""
    ffprobe = tool("ffprobe", "ffmpeg")
    info = json.loads(subprocess.run(
        [ffprobe, "-v", "error", "-select_streams", "v:0", "-show_entries", "stream=width,height",
         "-of", "json", path], check=True, capture_output=True).stdout)
    stream = info["streams"][0]
    size = stream["width"] * stream["height"] * 3
    raw = subprocess.run(
        [tool("ffmpeg", "ffmpeg"), "-v", "error", "-i", path, "-f", "rawvideo", "-pix_fmt", "rgb24", "-"],
        check=True, capture_output=True).stdout
    if len(raw) % size:
        raise AssertionError(f"{path}: decoded {len(raw)} bytes, not a whole number of {size}-byte frames")
    return [hashlib.sha256(raw[i:i + size]).hexdigest() for i in range(0, len(raw), size)]


def probe(path):
    """ffprobe's streams and format of a file (raises when it is not a media file)."""
    result = subprocess.run(
        [tool("ffprobe", "ffmpeg"), "-v", "error", "-show_streams", "-show_format", "-of", "json", path],
        capture_output=True, text=True)
    if result.returncode != 0:
        raise AssertionError(f"{path}: ffprobe refuses it: {result.stderr.strip()}")
    return json.loads(result.stdout)


class Server:
    """`diffdub serve` on a free loopback port over `data`; its output goes to `data/../serve-N.log`."""

    started = 0

    def __init__(self, data, extra=(), token=None):
        self.data = data
        self.extra = list(extra)
        self.token = token
        self.port = None
        self.process = None
        self.log_path = None

    @property
    def base(self):
        return f"http://127.0.0.1:{self.port}"

    def start(self, timeout=120):
        """Starts the server on a port of its choosing (`--port 0`; it prints the one it took)
        and waits until /api/health answers."""
        Server.started += 1
        self.port = None
        os.makedirs(self.data, exist_ok=True)
        self.log_path = os.path.join(os.path.dirname(self.data.rstrip("/")), f"serve-{Server.started}.log")
        arguments = [binary(), "serve", "--data", self.data, "--port", "0"] + model_arguments() + self.extra
        if self.token:
            arguments += ["--token", self.token]
        self.log = open(self.log_path, "wb")
        self.process = subprocess.Popen(arguments, stdout=self.log, stderr=subprocess.STDOUT, cwd=ROOT)
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise AssertionError(f"diffdub serve exited with {self.process.returncode}:\n{self.log_text()}")
            if self.port is None:
                found = re.search(r"listening on http://[^ ]*:(\d+)/", self.log_text())
                if found is None:
                    time.sleep(0.1)
                    continue
                self.port = int(found.group(1))
            try:
                status, _, body = self.request("GET", "/api/health", timeout=2)
                if status == 200 and json.loads(body).get("status") == "ok":
                    return self
            except (OSError, http.client.HTTPException, ValueError):
                pass
            time.sleep(0.1)
        self.kill()
        raise AssertionError(f"diffdub serve did not answer /api/health within {timeout} s:\n{self.log_text()}")

    def log_text(self):
        try:
            with open(self.log_path, "rb") as f:
                return f.read().decode(errors="replace")[-4000:]
        except OSError:
            return "(no log)"

    def stop(self, timeout=60):
        """SIGTERM, then waits (SIGKILL if it does not stop). Returns the exit status."""
        if self.process is None or self.process.poll() is not None:
            return self.process.returncode if self.process else None
        self.process.send_signal(signal.SIGTERM)
        try:
            return self.process.wait(timeout)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
            raise AssertionError(f"diffdub serve did not stop within {timeout} s of SIGTERM")
        finally:
            self.log.close()

    def kill(self):
        if self.process is not None and self.process.poll() is None:
            self.process.send_signal(signal.SIGKILL)
            self.process.wait()
        if self.process is not None:
            self.log.close()

    def __enter__(self):
        return self.start()

    def __exit__(self, *exc):
        if exc[0] is None:
            self.stop()
        else:
            self.kill()
        return False

    # MARK: HTTP

    def headers(self, extra=None):
        headers = {}
        if self.token:
            headers["Authorization"] = f"Bearer {self.token}"
        headers.update(extra or {})
        return headers

    def request(self, method, path, body=None, headers=None, timeout=60):
        """(status, headers, body bytes) of one request on a fresh connection."""
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=timeout)
        try:
            connection.request(method, path, body=body, headers=self.headers(headers))
            response = connection.getresponse()
            return response.status, dict(response.getheaders()), response.read()
        finally:
            connection.close()

    def json(self, method, path, expect=200, **kwargs):
        status, _, body = self.request(method, path, **kwargs)
        if status != expect:
            raise AssertionError(f"{method} {path}: HTTP {status}, expected {expect}: {body[:500]!r}")
        return json.loads(body)

    def submit(self, files, fields):
        """POST /api/jobs (multipart); returns the created job."""
        body, content_type = multipart(files, fields)
        return self.json("POST", "/api/jobs", expect=201, body=body, headers={"Content-Type": content_type})

    def job(self, job_id):
        return self.json("GET", f"/api/jobs/{job_id}")

    def wait(self, job_id, until, timeout=600, interval=0.05):
        """Polls the job until `until(job)` holds; fails on a terminal state that does not."""
        deadline = time.monotonic() + timeout
        while True:
            job = self.job(job_id)
            if until(job):
                return job
            if job["status"] in ("done", "failed", "cancelled"):
                raise AssertionError(f"job {job_id} ended {job['status']} ({job.get('error')}):\n{self.log_text()}")
            if time.monotonic() > deadline:
                raise AssertionError(f"job {job_id} still {job['status']} after {timeout} s: {job}")
            if self.process.poll() is not None:
                raise AssertionError(f"diffdub serve exited with {self.process.returncode}:\n{self.log_text()}")
            time.sleep(interval)

    def download(self, job_id, path):
        status, _, body = self.request("GET", f"/api/jobs/{job_id}/output", timeout=120)
        if status != 200:
            raise AssertionError(f"GET /api/jobs/{job_id}/output: HTTP {status}: {body[:300]!r}")
        with open(path, "wb") as f:
            f.write(body)
        return path

    def events(self, job_id, timeout=120):
        """An open event stream of the job: yields each event's parsed `data` (JSON)."""
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=timeout)
        connection.request("GET", f"/api/jobs/{job_id}/events", headers=self.headers({"Accept": "text/event-stream"}))
        response = connection.getresponse()
        if response.status != 200:
            connection.close()
            raise AssertionError(f"GET /api/jobs/{job_id}/events: HTTP {response.status}")
        kind = response.getheader("Content-Type", "")
        if not kind.startswith("text/event-stream"):
            connection.close()
            raise AssertionError(f"GET /api/jobs/{job_id}/events: Content-Type {kind!r}, not text/event-stream")
        return EventStream(connection, response)


class EventStream:
    """The events of a text/event-stream response, one parsed `data` object at a time."""

    def __init__(self, connection, response):
        self.connection = connection
        self.response = response

    def __iter__(self):
        data = []
        while True:
            line = self.response.readline()
            if not line:
                return
            line = line.decode().rstrip("\r\n")
            if line == "":
                if data:
                    yield json.loads("\n".join(data))
                    data = []
            elif line.startswith("data:"):
                data.append(line[5:].lstrip(" "))

    def close(self):
        self.connection.close()


def multipart(files, fields):
    """A multipart/form-data body: `files` maps field -> path, `fields` field -> value."""
    boundary = "diffdub-" + uuid.uuid4().hex
    parts = []
    for name, value in fields.items():
        parts.append(
            f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n{value}\r\n'.encode())
    for name, path in files.items():
        with open(path, "rb") as f:
            content = f.read()
        filename = urllib.parse.quote(os.path.basename(path))
        parts.append(
            f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"; filename="{filename}"\r\n'
            f"Content-Type: application/octet-stream\r\n\r\n".encode() + content + b"\r\n")
    parts.append(f"--{boundary}--\r\n".encode())
    return b"".join(parts), f"multipart/form-data; boundary={boundary}"


def find_job_folder(data, job_id):
    """The job's folder under the data folder (the one holding the `job` commands' manifest)."""
    for folder, _, names in os.walk(data):
        if os.path.basename(folder) == job_id and "manifest.json" in names:
            return folder
    raise AssertionError(f"no folder named {job_id} under {data}")
