"""A server killed with SIGKILL mid-render and started again finishes the job from the frames
already written, and its output equals `diffdub dub` with the same inputs, frame for frame."""

import os
import subprocess
import unittest

from serve_support import (
    Server, TemporaryFolder, binary, decoded_frames, find_job_folder, make_inputs, model_arguments, probe)

# Slow enough (about a second a frame on two cores) to be killed between frames.
STEPS = 40


class CrashRecoveryTests(unittest.TestCase):
    def test_sigkill_mid_render_then_restart_finishes_as_dub_does(self):
        with TemporaryFolder() as folder:
            inputs = make_inputs(folder)
            data = os.path.join(folder, "data")
            fields = {"steps": str(STEPS), "seed": "7"}

            server = Server(data, extra=["--workers", "1"]).start()
            try:
                created = server.submit(inputs, fields)
                self.assertEqual(created["status"], "queued")
                job_id = created["id"]
                rendering = server.wait(
                    job_id, lambda job: job["status"] == "rendering" and job["progress"]["completed"] >= 2)
                total = rendering["progress"]["total"]
                self.assertGreater(total, 2)
                server.kill()
            except BaseException:
                server.kill()
                raise
            done_before = rendering["progress"]["completed"]
            self.assertLess(done_before, total, "the job finished before the server could be killed")

            # Nothing half-written is served or left as an output after the kill.
            job_folder = find_job_folder(data, job_id)
            status = subprocess.run([binary(), "job", "status", job_folder], capture_output=True, text=True)
            self.assertNotEqual(status.returncode, 0, "job status says done after a kill mid-render")

            with Server(data, extra=["--workers", "1"]) as restarted:
                finished = restarted.wait(job_id, lambda job: job["status"] == "done", timeout=900)
                self.assertGreater(finished["resumed_frames"], 0, finished)
                self.assertGreaterEqual(finished["resumed_frames"], done_before, finished)
                self.assertLess(finished["resumed_frames"], total, finished)
                self.assertEqual(finished["progress"]["completed"], total)
                served = restarted.download(job_id, os.path.join(folder, "served.mp4"))

            # `diffdub job status` reads the server's job folder.
            status = subprocess.run([binary(), "job", "status", job_folder], capture_output=True, text=True)
            self.assertEqual(status.returncode, 0, status.stderr)
            self.assertTrue(status.stdout.startswith(f"{total}/{total} frames"), status.stdout)

            reference = os.path.join(folder, "dub.mp4")
            dub = subprocess.run(
                [binary(), "dub"] + model_arguments()
                + ["--video", inputs["video"], "--audio", inputs["audio"], "--hubert", inputs["hubert"],
                   "--steps", str(STEPS), "--seed", "7", "--output", reference, "--quiet"],
                capture_output=True, text=True)
            self.assertEqual(dub.returncode, 0, dub.stderr)

            self.assertEqual(
                [s["codec_type"] for s in probe(served)["streams"]],
                [s["codec_type"] for s in probe(reference)["streams"]])
            served_frames, reference_frames = decoded_frames(served), decoded_frames(reference)
            self.assertEqual(len(served_frames), len(reference_frames))
            self.assertEqual(len(served_frames), total)
            for i, (a, b) in enumerate(zip(served_frames, reference_frames)):
                self.assertEqual(a, b, f"frame {i} of the served output differs from diffdub dub's")


if __name__ == "__main__":
    unittest.main()
