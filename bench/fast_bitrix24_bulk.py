"""The fast-bitrix24 side of the bulk benchmark: N `sonet_group.user.add` operations through
`fast_bitrix24.Bitrix(webhook).call(method, list_of_params)`, which packs them into `batch`
requests of 50 commands and paces them with its own leaky-bucket throttler.

Knows the workload's layout (below) and the client's public API; knows nothing about the
emulator beyond the webhook URL. Prints one JSON line:

    {"tool": "fast-bitrix24 1.8.14", "operations": 5000, "wall_s": 27.3, "results": 5000,
     "error": null}

`results` is the length of what `call()` returned (null if it raised), `error` the text of
the exception it raised, with the webhook's secret code replaced by `***`.

Operation k (0-based) adds user `first_user + k` to group `first_group + k % groups`, so all
pairs are distinct; on the emulator's generated seed (`--users N --groups G`) none of them is
related yet and every operation adds one relation.
"""

import argparse
import json
import sys
import time
from importlib.metadata import version
from urllib.parse import urlparse

from fast_bitrix24 import Bitrix


def operations(count, first_user, first_group, groups):
    return [
        {"GROUP_ID": first_group + k % groups, "USER_ID": first_user + k}
        for k in range(count)
    ]


def redact(text, webhook):
    """Replaces the webhook's code (`/rest/USER/CODE/`) wherever it appears in `text`."""
    parts = [p for p in urlparse(webhook).path.split("/") if p]
    if len(parts) >= 3 and parts[0] == "rest":
        text = text.replace(parts[2], "***")
    return text


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("webhook", help="webhook URL, http://HOST:PORT/rest/USER/CODE/")
    parser.add_argument("operations", type=int, help="number of sonet_group.user.add operations")
    parser.add_argument("--first-user", type=int, default=12,
                        help="first generated user ID (default 12: the demo seed's)")
    parser.add_argument("--first-group", type=int, default=8,
                        help="first generated group ID (default 8: the demo seed's)")
    parser.add_argument("--groups", type=int, default=10,
                        help="how many generated groups to spread the users over (default 10)")
    args = parser.parse_args()
    if args.operations < 1 or args.groups < 1:
        parser.error("operations and groups must be positive")

    items = operations(args.operations, args.first_user, args.first_group, args.groups)
    bitrix = Bitrix(args.webhook, verbose=False)
    results, error = None, None
    started = time.perf_counter()
    try:
        answer = bitrix.call("sonet_group.user.add", items)
        results = len(answer)
    except Exception as exc:  # noqa: BLE001 - whatever the client raises is the measurement
        error = redact(f"{type(exc).__name__}: {exc}", args.webhook)
        cause = exc.__cause__ or exc.__context__
        if cause is not None:
            error += redact(f" (caused by {type(cause).__name__}: {cause})", args.webhook)
    wall = time.perf_counter() - started
    print(json.dumps({
        "tool": f"fast-bitrix24 {version('fast-bitrix24')}",
        "operations": args.operations,
        "wall_s": round(wall, 3),
        "results": results,
        "error": error,
    }))
    return 0


if __name__ == "__main__":
    sys.exit(main())
