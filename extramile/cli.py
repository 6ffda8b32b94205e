"""The command line: `python -m extramile serve | report | demo-data | accounts | journal-service`.

A thin layer: each subcommand lives in its own module, which offers
`add_arguments(parser)` and `run(args) -> int`, so tests call the functions
directly and importing one command never loads another's dependencies.
"""

from __future__ import annotations

import argparse
import importlib
import sys

COMMANDS = {
    "serve": ("extramile.server.serve", "Serve the participant app (Solara) for the room."),
    "report": ("extramile.summary.report", "Write the facilitator's HTML report from a journal folder."),
    "demo-data": ("extramile.summary.demo_data", "Write a realistic synthetic journal for rehearsals and benchmarks."),
    "accounts": ("extramile.identity.accounts", "See and lift sign-in waits; reset a forgotten passphrase."),
    "journal-service": ("extramile.hub.journal_service", "Run the journal store as a JupyterHub service."),
}


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    parser = argparse.ArgumentParser(prog="python -m extramile", description=__doc__.splitlines()[0])
    commands = parser.add_subparsers(dest="command", required=True)
    for name, (module_name, help_text) in COMMANDS.items():
        sub = commands.add_parser(name, help=help_text, description=help_text)
        sub.set_defaults(module_name=module_name)
        if argv[:1] == [name]:  # import only the command asked for: serving must not load pandas
            importlib.import_module(module_name).add_arguments(sub)
    args = parser.parse_args(argv)
    try:
        return importlib.import_module(args.module_name).run(args)
    except KeyboardInterrupt:
        return 130


if __name__ == "__main__":
    sys.exit(main())
