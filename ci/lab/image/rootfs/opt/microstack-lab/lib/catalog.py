"""Registers the service project, the glance and placement users, services and endpoints (init)."""
import os

import openstack

conn = openstack.connect(
    auth_url=os.environ["OS_AUTH_URL"], username="admin", password=os.environ["OS_PASSWORD"],
    project_name="admin", user_domain_name="Default", project_domain_name="Default", region_name="microstack",
)
idc = conn.identity
service_project = idc.create_project(name="service", domain_id="default", description="Service Project")
admin_role = idc.find_role("admin")
ip = os.environ["CONTROL_IP"]
for name, kind, port, password in (
    ("glance", "image", 9292, os.environ["GLANCE_PASSWORD"]),
    ("placement", "placement", 8778, os.environ["PLACEMENT_PASSWORD"]),
):
    user = idc.create_user(name=name, password=password, domain_id="default", default_project_id=service_project.id)
    idc.assign_project_role_to_user(service_project, user, admin_role)
    service = idc.create_service(name=name, type=kind, description=name)
    for interface in ("public", "internal", "admin"):
        idc.create_endpoint(service_id=service.id, interface=interface, url=f"http://{ip}:{port}", region_id="microstack")
print("keystone catalog: glance and placement registered")
