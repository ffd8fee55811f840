"""drdrill's lab health check: `token issue` works, the seeded projects and users exist, every seeded
image downloads with its original sha256 and Glance checksum, a token issued before the disaster is
still valid (the fernet keys came back), and the load writer's table is readable.
Env: DRDRILL_EXPECT (json from seed.py), DRDRILL_OLD_TOKEN (secret), DRDRILL_WAIT_S, DRDRILL_DOWNLOAD
(0: check the images' Glance records only), DRDRILL_ONLY (`old-token`: only report that token's HTTP
status). Prints one `health <json>` line."""
import hashlib
import json
import os
import subprocess
import time

import openstack
import requests

expect = json.loads(os.environ.get("DRDRILL_EXPECT") or "{}")
old_token = os.environ.get("DRDRILL_OLD_TOKEN", "")
deadline = time.monotonic() + float(os.environ.get("DRDRILL_WAIT_S", "90"))
auth_url = os.environ["OS_AUTH_URL"].rstrip("/")
checks = {}


def report(ok, detail):
    print("health " + json.dumps({"ok": ok, "detail": detail, "checks": checks}), flush=True)
    raise SystemExit(0)


def old_token_status():
    if not old_token:
        return None
    r = requests.get(
        f"{auth_url}/auth/tokens", headers={"X-Auth-Token": old_token, "X-Subject-Token": old_token}, timeout=10
    )
    return r.status_code


def until_deadline(what, fn):
    """Retries fn while services come up (connection errors, 5xx), until the deadline."""
    last = None
    while time.monotonic() < deadline:
        try:
            return fn()
        except Exception as e:  # noqa: BLE001 - any failure of a starting service is retried
            last = e
            time.sleep(1)
    report(False, f"{what}: {str(last).splitlines()[0] if last else 'timed out'}")


if os.environ.get("DRDRILL_ONLY") == "old-token":
    checks["oldToken"] = until_deadline("pre-disaster token", old_token_status)
    report(True, f"pre-disaster token: HTTP {checks['oldToken']}")

conn = openstack.connect(
    auth_url=auth_url, username=os.environ["OS_USERNAME"], password=os.environ["OS_PASSWORD"],
    project_name=os.environ["OS_PROJECT_NAME"], user_domain_name="Default", project_domain_name="Default",
    region_name=os.environ.get("OS_REGION_NAME", "microstack"))
until_deadline("openstack token issue", conn.authorize)
checks["tokenIssue"] = True
parts = ["token issue OK"]

missing = [
    p["name"]
    for p in expect.get("projects", [])
    if until_deadline("project lookup", lambda p=p: conn.identity.find_project(p["name"])) is None
]
missing += [
    u["name"]
    for u in expect.get("users", [])
    if until_deadline("user lookup", lambda u=u: conn.identity.find_user(u["name"])) is None
]
checks["missing"] = missing
if missing:
    report(False, f"missing after restore: {', '.join(missing)}")
parts.append(f"{len(expect.get('projects', []))} projects and {len(expect.get('users', []))} users present")

download = os.environ.get("DRDRILL_DOWNLOAD", "1") == "1"
total = 0
for img in expect.get("images", []):
    def fetch(img=img):
        shown = conn.image.get(f"/images/{img['id']}").json()
        if not download:
            return shown, img["sha256"], img["checksum"]
        sha, md5 = hashlib.sha256(), hashlib.md5()
        with conn.image.get(f"/images/{img['id']}/file", stream=True) as r:
            r.raise_for_status()
            for chunk in r.iter_content(1024 * 1024):
                sha.update(chunk)
                md5.update(chunk)
        return shown, sha.hexdigest(), md5.hexdigest()
    shown, sha, md5 = until_deadline(f"image {img['name']}", fetch)
    if (
        sha != img["sha256"]
        or md5 != img["checksum"]
        or shown.get("checksum") != img["checksum"]
        or shown.get("status") != "active"
    ):
        checks["imageMismatch"] = img["name"]
        report(False, f"image {img['name']}: status {shown.get('status')}, downloaded sha256 {sha[:12]} (expected "
                      f"{img['sha256'][:12]}), Glance checksum {shown.get('checksum')} (expected {img['checksum']})")
    total += img["size"]
checks["images"] = len(expect.get("images", []))
if download:
    parts.append(f"{checks['images']} images ({total / 1e6:.1f} MB) download with their sha256 and Glance checksum")
else:
    parts.append(f"{checks['images']} images ({total / 1e6:.1f} MB) active with their Glance checksum (not downloaded)")

if old_token:
    code = until_deadline("pre-disaster token", old_token_status)
    checks["oldToken"] = code
    if code != 200:
        report(False, f"a token issued before the disaster is refused (HTTP {code}): the fernet keys did not come back")
    parts.append("pre-disaster token valid (HTTP 200)")

if expect.get("loadTable"):
    sql = "SELECT COUNT(*), COALESCE(MAX(seq), 0) FROM drdrill.load_records"
    r = subprocess.run(["microstack.mysql", "-N", "-B", "-e", sql], capture_output=True, text=True)
    if r.returncode != 0:
        report(
            False,
            f"load table unreadable: {r.stderr.strip().splitlines()[-1] if r.stderr.strip() else r.returncode}",
        )
    rows, newest = (int(x) for x in r.stdout.split())
    checks["loadRows"] = rows
    parts.append(f"database holds {rows} load rows (newest seq {newest})")

report(True, "; ".join(parts))
