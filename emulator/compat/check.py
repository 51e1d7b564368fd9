"""Calls all seven sonet_group.user.* methods (and sonet_group.get) through fast_bitrix24
against a freshly started demo portal and exits non-zero on any mismatch."""

import sys

from fast_bitrix24 import Bitrix

failures = []


def check(name, actual, expected):
    status = "ok" if actual == expected else "MISMATCH"
    print(f"{status:8} {name}: {actual!r}")
    if actual != expected:
        failures.append(f"{name}: expected {expected!r}, got {actual!r}")


def main(webhook):
    b = Bitrix(webhook, verbose=False)

    def direct(method, params=None):
        """One JSON request (the client's raw mode) returning the full answer."""
        answer = b.call(method, params or {}, raw=True)
        check(f"{method} has time", sorted(answer["time"]), sorted([
            "start", "finish", "duration", "processing", "date_start", "date_finish",
            "operating_reset_at", "operating",
        ]))
        return answer["result"]

    def batched(method, params):
        """The client's default path: the call is packed into a batch."""
        return b.call(method, [params])

    expected_members = [
        {"USER_ID": "1", "ROLE": "A"},
        {"USER_ID": "2", "ROLE": "E"},
        {"USER_ID": "3", "ROLE": "K"},
        {"USER_ID": "4", "ROLE": "K"},
    ]
    check("user.get (direct)", direct("sonet_group.user.get", {"ID": 1}), expected_members)
    check("user.get (batch)", batched("sonet_group.user.get", {"ID": 1}), expected_members)

    groups = direct("sonet_group.user.groups")
    check("user.groups ids", [g["GROUP_ID"] for g in groups], ["1", "2", "3", "4", "7"])
    check("user.groups extranet", [g.get("IS_EXTRANET") for g in groups], [None, None, None, "Y", None])

    check("user.invite (direct, JSON numbers echoed)", direct("sonet_group.user.invite", {"GROUP_ID": 1, "USER_ID": [10]}), [10])
    check("user.invite (batch, strings echoed)", batched("sonet_group.user.invite", {"GROUP_ID": 2, "USER_ID": [10]}), ["10"])
    check("user.request", direct("sonet_group.user.request", {"GROUP_ID": 5}), True)
    check("user.add", batched("sonet_group.user.add", {"GROUP_ID": 1, "USER_ID": [11]}), ["11"])
    check("user.update", direct("sonet_group.user.update", {"GROUP_ID": 1, "USER_ID": [11], "ROLE": "E"}), ["11"])
    check("user.delete", direct("sonet_group.user.delete", {"GROUP_ID": 1, "USER_ID": [11, 1]}), ["11"])

    after = direct("sonet_group.user.get", {"ID": 5})
    check("request joined the open group", {"USER_ID": "1", "ROLE": "K"} in after, True)

    all_groups = b.get_all("sonet_group.get")
    check("sonet_group.get via get_all", sorted(int(g["ID"]) for g in all_groups), [1, 2, 3, 4, 5, 7])

    try:
        b.call("sonet_group.user.get", {"ID": 0})
        check("method error raised", False, True)
    except Exception as error:  # the client wraps batch errors in its own exception types
        check("method error text", "Wrong socialnetwork group ID" in str(error), True)

    if failures:
        print(f"{len(failures)} mismatch(es):", *failures, sep="\n  ")
        return 1
    print("all checks passed")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1]))
