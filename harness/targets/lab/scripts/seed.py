"""drdrill's lab seeding, through the OpenStack API: projects, users, and Glance images whose sizes
add up to the dataset size (deterministic content from the seed, so checksums are reproducible).
Env: DRDRILL_SIZE_BYTES, DRDRILL_SEED, DRDRILL_PROJECTS. Prints `progress <bytes>` lines, then one
`result <json>` line. User passwords are random and never printed."""
import hashlib
import json
import os
import random
import secrets
import sys

import openstack

MiB = 1024 * 1024
CHUNK = MiB
IMAGE_TARGET = 16 * MiB  # about this much per image
MAX_IMAGES = 12

size = int(os.environ["DRDRILL_SIZE_BYTES"])
seed = int(os.environ.get("DRDRILL_SEED", "1"))
n_projects = int(os.environ.get("DRDRILL_PROJECTS", "3"))

conn = openstack.connect(
    auth_url=os.environ["OS_AUTH_URL"], username=os.environ["OS_USERNAME"], password=os.environ["OS_PASSWORD"],
    project_name=os.environ["OS_PROJECT_NAME"], user_domain_name="Default", project_domain_name="Default",
    region_name=os.environ.get("OS_REGION_NAME", "microstack"))
idc = conn.identity
member = idc.find_role("member") or idc.find_role("_member_")

projects, users = [], []
for i in range(1, n_projects + 1):
    p = idc.create_project(name=f"drdrill-p{i}", domain_id="default", description=f"drdrill seed {seed}, project {i}")
    u = idc.create_user(
        name=f"drdrill-u{i}", password=secrets.token_urlsafe(24), domain_id="default", default_project_id=p.id
    )
    if member:
        idc.assign_project_role_to_user(p, u, member)
    projects.append({"name": p.name, "id": p.id})
    users.append({"name": u.name, "id": u.id})

count = max(1, min(MAX_IMAGES, -(-size // IMAGE_TARGET)))
sizes = [size // count] * count
sizes[-1] += size - sum(sizes)
done = 0
images = []


def content(index, length, digests):
    """The image's bytes, generated in 1 MiB chunks and hashed on the way to Glance."""
    global done
    rng = random.Random(f"drdrill:{seed}:{index}")
    left = length
    while left > 0:
        chunk = rng.randbytes(min(CHUNK, left))
        left -= len(chunk)
        for d in digests:
            d.update(chunk)
        done += len(chunk)
        print(f"progress {done}", flush=True)
        yield chunk


for i, length in enumerate(sizes, 1):
    project = projects[(i - 1) % len(projects)]
    meta = {"name": f"drdrill-img-{i}", "disk_format": "raw", "container_format": "bare", "visibility": "private",
            "tags": ["drdrill"], "drdrill_project": project["name"]}
    image_id = conn.image.post("/images", json=meta).json()["id"]
    sha, md5 = hashlib.sha256(), hashlib.md5()
    r = conn.image.put(f"/images/{image_id}/file", data=content(i, length, (sha, md5)),
                       headers={"Content-Type": "application/octet-stream"})
    r.raise_for_status()
    shown = conn.image.get(f"/images/{image_id}").json()
    if shown.get("checksum") != md5.hexdigest() or shown.get("status") != "active":
        sys.exit(f"image {meta['name']}: Glance says status={shown.get('status')} checksum={shown.get('checksum')}, "
                 f"expected active and {md5.hexdigest()}")
    images.append(
        {
            "name": meta["name"],
            "id": image_id,
            "size": length,
            "sha256": sha.hexdigest(),
            "checksum": shown["checksum"],
        }
    )

print("result " + json.dumps({"projects": projects, "users": users, "images": images, "bytes": size}), flush=True)
