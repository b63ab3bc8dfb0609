"""Runs the independent SCIM 2.0 conformance checker (pip scim2-tester) against a Keystead
organization's SCIM endpoint and exits non-zero when any check fails.

Usage: python3 conformance.py BASE_URL TOKEN
  BASE_URL: http://127.0.0.1:PORT/scim/v2/ORG
Prints one line per check (status, title, reason) and a summary.
"""

import sys

import httpx2
from scim2_client.engines.httpx2 import SyncSCIMClient
from scim2_tester import Status, check_server


def main() -> int:
    base, token = sys.argv[1], sys.argv[2]
    http = httpx2.Client(base_url=base, headers={"Authorization": f"Bearer {token}"}, timeout=30)
    client = SyncSCIMClient(http)
    results = check_server(client)
    failed = 0
    for r in results:
        status = r.status.name if hasattr(r.status, "name") else str(r.status)
        line = f"{status:8} {r.resource_type or '-':6} {r.title}"
        if r.status not in (Status.SUCCESS, Status.SKIPPED):
            failed += 1
            line += f"\n         reason: {r.reason}"
        print(line)
    print(f"scim2-tester: {len(results)} checks, {failed} not passed")
    return 1 if failed or not results else 0


if __name__ == "__main__":
    sys.exit(main())
