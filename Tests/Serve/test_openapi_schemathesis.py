"""The server's OpenAPI document, fuzzed with schemathesis against a running server: no answer
is a 5xx, and the answers conform to the document (status codes, content types, schemas)."""

import os
import shutil
import subprocess
import unittest

from serve_support import Missing, Server, TemporaryFolder

# Requests per operation and phase: enough to hit every route with good and bad values while
# keeping the run to about a minute on two cores.
EXAMPLES = 25
CHECKS = ",".join([
    "not_a_server_error",
    "status_code_conformance",
    "content_type_conformance",
    "response_schema_conformance",
])


def schemathesis():
    path = shutil.which("schemathesis")
    if path is None:
        raise Missing("schemathesis is not installed: run the tests through scripts/test-serve.sh")
    return path


class OpenAPISchemathesisTests(unittest.TestCase):
    def test_the_openapi_document_holds_under_schemathesis(self):
        with TemporaryFolder() as folder:
            with Server(os.path.join(folder, "data"), extra=["--workers", "1"]) as server:
                document = server.json("GET", "/openapi.json")
                self.assertTrue(str(document.get("openapi", "")).startswith("3."), document.get("openapi"))
                # The event stream of a job stays open while the job runs: only the examples,
                # coverage and fuzzing phases (random ids), not the stateful one (real ids).
                result = subprocess.run(
                    [schemathesis(), "run", server.base + "/openapi.json", "--checks", CHECKS,
                     "--phases", "examples,coverage,fuzzing", "--max-examples", str(EXAMPLES),
                     "--workers", "1", "--request-timeout", "30", "--seed", "1",
                     "--suppress-health-check", "too_slow,filter_too_much,data_too_large",
                     "--generation-database", "none", "--no-color"],
                    capture_output=True, text=True, cwd=folder, timeout=900,
                    env=dict(os.environ, SCHEMATHESIS_TELEMETRY="false"))
                # What was tested (operations, cases, checks), in the test log.
                print("\n".join(result.stdout.rstrip().splitlines()[-25:]))
                self.assertEqual(
                    result.returncode, 0,
                    f"schemathesis found problems:\n{result.stdout[-6000:]}\n{result.stderr[-2000:]}")


if __name__ == "__main__":
    unittest.main()
