"""50 clients at once, each polling the job's status and reading its event stream while it
renders: every request is answered, every stream delivers progress, and the job still finishes."""

import os
import threading
import time
import unittest

from serve_support import Server, TemporaryFolder, make_inputs

CLIENTS = 50
POLLS = 5


class ConcurrentReadersTests(unittest.TestCase):
    def test_fifty_status_and_event_clients_during_a_render_are_all_answered(self):
        with TemporaryFolder() as folder:
            inputs = make_inputs(folder)
            with Server(os.path.join(folder, "data"), extra=["--workers", "1"]) as server:
                job_id = server.submit(inputs, {"steps": "20"})["id"]
                server.wait(job_id, lambda job: job["status"] == "rendering")

                start = threading.Barrier(CLIENTS)
                failures, answered, events = [], [0], [0]
                lock = threading.Lock()

                def client(number):
                    try:
                        start.wait(timeout=60)
                        stream = server.events(job_id)
                        try:
                            received = []
                            for event in stream:
                                received.append(event)
                                progress = event.get("progress", event)
                                if len(received) >= 2 or event.get("status") in ("done", "failed", "cancelled"):
                                    break
                                if not isinstance(progress, dict):
                                    raise AssertionError(f"event without progress: {event}")
                        finally:
                            stream.close()
                        if not received:
                            raise AssertionError("the event stream closed without an event")
                        for _ in range(POLLS):
                            job = server.job(job_id)
                            if job["id"] != job_id or "progress" not in job:
                                raise AssertionError(f"status answer without id/progress: {job}")
                            time.sleep(0.05)
                        with lock:
                            answered[0] += POLLS
                            events[0] += len(received)
                    except BaseException as error:  # noqa: BLE001 (collected and reported below)
                        with lock:
                            failures.append(f"client {number}: {type(error).__name__}: {error}")

                threads = [threading.Thread(target=client, args=(i,)) for i in range(CLIENTS)]
                for thread in threads:
                    thread.start()
                for thread in threads:
                    thread.join(timeout=600)
                self.assertFalse(any(thread.is_alive() for thread in threads), "a client hung")
                self.assertEqual(failures, [], "\n".join(failures[:10]))
                self.assertEqual(answered[0], CLIENTS * POLLS)
                self.assertGreaterEqual(events[0], CLIENTS)

                finished = server.wait(job_id, lambda job: job["status"] == "done", timeout=900)
                self.assertEqual(finished["progress"]["completed"], finished["progress"]["total"])


if __name__ == "__main__":
    unittest.main()
