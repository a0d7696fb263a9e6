"""The page in a real browser (Debian's chromium through chromium-driver and Selenium): upload
the test clip with its speech, watch the job's progress to "done", download the MP4.

DIFFDUB_SERVE_SCREENSHOT=PATH also saves a screenshot of the page there (Docs/serve-page.png
is made so: `DIFFDUB_SERVE_SCREENSHOT=Docs/serve-page.png bash scripts/test-serve.sh page`)."""

import os
import shutil
import time
import unittest

from serve_support import Missing, Server, TemporaryFolder, make_inputs, probe, tool

try:
    from selenium import webdriver
    from selenium.common.exceptions import TimeoutException
    from selenium.webdriver.chrome.service import Service
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support import expected_conditions
    from selenium.webdriver.support.ui import WebDriverWait
except ImportError as error:  # a clear failure, never a skip
    raise Missing(f"selenium is not installed ({error}): run the tests through scripts/test-serve.sh") from error


def chromium(folder):
    """Headless chromium driven by Debian's chromium-driver, downloading into `folder`/downloads.

    Its profile and its temporary files (the singleton socket's folder chromium makes under
    TMPDIR) stay inside `folder`, so nothing is left in /tmp once the test's folder is removed."""
    browser = tool("chromium", "chromium (apt)")
    driver = tool("chromedriver", "chromium-driver (apt)")
    download_folder = os.path.join(folder, "downloads")
    scratch = os.path.join(folder, "chromium-tmp")
    os.makedirs(download_folder, exist_ok=True)
    os.makedirs(scratch, exist_ok=True)
    options = webdriver.ChromeOptions()
    options.binary_location = browser
    options.add_argument("--user-data-dir=" + os.path.join(folder, "chromium-profile"))
    for argument in ("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--window-size=1280,900",
                     "--disable-gpu", "--no-first-run", "--no-default-browser-check"):
        options.add_argument(argument)
    options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    options.add_experimental_option("prefs", {
        "download.default_directory": download_folder,
        "download.prompt_for_download": False,
        "safebrowsing.enabled": False,
    })
    environment = dict(os.environ, TMPDIR=scratch)
    return webdriver.Chrome(service=Service(executable_path=driver, env=environment), options=options)


def wait_for_download(folder, timeout=120):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        names = [n for n in os.listdir(folder) if not n.endswith(".crdownload") and not n.startswith(".")]
        partial = [n for n in os.listdir(folder) if n.endswith(".crdownload")]
        if names and not partial:
            return os.path.join(folder, names[0])
        time.sleep(0.2)
    raise AssertionError(f"no download arrived in {folder} within {timeout} s: {os.listdir(folder)}")


class PageBrowserTests(unittest.TestCase):
    def test_upload_watch_and_download_in_chromium(self):
        with TemporaryFolder() as folder:
            inputs = make_inputs(folder)
            downloads = os.path.join(folder, "downloads")
            with Server(os.path.join(folder, "data")) as server:
                browser = chromium(folder)
                try:
                    self.run_page(browser, server, inputs, downloads)
                finally:
                    browser.quit()

    def test_token_is_asked_once_and_kept(self):
        with TemporaryFolder() as folder:
            with Server(os.path.join(folder, "data"), token="page-test-token") as server:
                browser = chromium(folder)
                try:
                    wait = WebDriverWait(browser, 60, poll_frequency=0.2)
                    browser.get(server.base + "/")
                    dialog = browser.find_element(By.ID, "token-dialog")
                    wait.until(lambda b: dialog.get_attribute("open") is not None)
                    browser.find_element(By.ID, "token-input").send_keys("page-test-token")
                    browser.find_element(By.CSS_SELECTOR, "#token-form button[type=submit]").click()
                    wait.until(expected_conditions.text_to_be_present_in_element((By.ID, "health"), "connected"))
                    # Kept: a reload asks no more.
                    browser.refresh()
                    wait.until(expected_conditions.text_to_be_present_in_element((By.ID, "health"), "connected"))
                    self.assertIsNone(browser.find_element(By.ID, "token-dialog").get_attribute("open"))
                finally:
                    browser.quit()

    def run_page(self, browser, server, inputs, downloads):
        wait = WebDriverWait(browser, 300, poll_frequency=0.2)
        browser.get(server.base + "/")
        self.assertEqual(browser.title, "DiffDub")
        wait.until(expected_conditions.text_to_be_present_in_element((By.ID, "health"), "connected"))

        browser.find_element(By.ID, "clip").send_keys(inputs["video"])
        browser.find_element(By.ID, "audio").send_keys(inputs["audio"])
        browser.find_element(By.ID, "hubert").send_keys(inputs["hubert"])
        browser.find_element(By.CSS_SELECTOR, "details.options summary").click()
        steps = browser.find_element(By.NAME, "steps")
        steps.clear()
        steps.send_keys("10")
        browser.find_element(By.ID, "submit").click()

        wait.until(expected_conditions.text_to_be_present_in_element((By.ID, "upload-status"), "Queued as"))
        job = wait.until(lambda b: b.find_element(By.CSS_SELECTOR, "#jobs li.job"))
        job_id = job.get_attribute("data-id")
        self.assertTrue(job_id)
        # The face-track preview shows once the job is prepared.
        wait.until(lambda b: b.find_element(By.CSS_SELECTOR, "#jobs li.job .preview").is_displayed())
        status = f'#jobs li.job[data-id="{job_id}"] .status'
        try:
            # The DOM's text (the badge shows it in capitals).
            wait.until(lambda b: b.find_element(By.CSS_SELECTOR, status).get_attribute("textContent") == "done")
        except TimeoutException:
            shown = browser.find_element(By.CSS_SELECTOR, status).get_attribute("textContent")
            raise AssertionError(
                f"the page shows {shown!r}, not done; the API says {server.job(job_id)}\n{server.log_text()}") from None
        self.assertEqual(server.job(job_id)["status"], "done")
        bar = browser.find_element(By.CSS_SELECTOR, f'#jobs li.job[data-id="{job_id}"] .progress-line progress')
        self.assertEqual(bar.get_attribute("value"), bar.get_attribute("max"))

        screenshot = os.environ.get("DIFFDUB_SERVE_SCREENSHOT")
        if screenshot:
            self.take_screenshot(browser, server, inputs, screenshot)

        link = browser.find_element(By.CSS_SELECTOR, f'#jobs li.job[data-id="{job_id}"] a.download')
        self.assertTrue(link.is_displayed())
        link.click()
        path = wait_for_download(downloads)
        streams = probe(path)["streams"]
        self.assertIn("h264", [s.get("codec_name") for s in streams], streams)
        self.assertIn("audio", [s.get("codec_type") for s in streams], streams)
        self.assertGreater(os.path.getsize(path), 1000)
        # Script errors fail the test (a resource the server answers 4xx for is not one).
        errors = [entry["message"] for entry in browser.get_log("browser")
                  if entry.get("level") == "SEVERE" and "Failed to load resource" not in entry.get("message", "")]
        self.assertEqual(errors, [], "the page logged script errors")

    def take_screenshot(self, browser, server, inputs, path):
        """The page with the finished job and a second one rendering (its latest frame shown)."""
        second = server.submit(inputs, {"steps": "50"})["id"]
        server.wait(second, lambda job: job["status"] == "rendering" and job["progress"]["completed"] >= 2)
        wait = WebDriverWait(browser, 120, poll_frequency=0.2)
        selector = f'#jobs li.job[data-id="{second}"] .frame'
        wait.until(lambda b: b.find_element(By.CSS_SELECTOR, selector).is_displayed())
        time.sleep(1)  # the picture and the bar settle
        browser.execute_script("window.scrollTo(0, 0)")
        browser.save_screenshot(path)
        server.request("POST", f"/api/jobs/{second}/cancel")
        server.wait(second, lambda job: job["status"] == "cancelled")


if __name__ == "__main__":
    unittest.main()
