"""The facilitator's account commands: `python -m extramile accounts --journal DIR list | unlock NAME | reset NAME`.

list    how many names are claimed, and every name waiting after wrong passphrases
unlock  lift a name's wait at once (after checking with the person at the keyboard)
reset   for a forgotten passphrase: prints a one-time code to read out; the
        participant signs in with their name and the code as the passphrase,
        then chooses a new one. Their journal stays theirs.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from extramile.exceptions import JournalError, NoAccount
from extramile.identity.identity import Accounts
from extramile.identity.passphrases import RESET_SECONDS
from extramile.names import clean_name
from extramile.store.journal import Journal
from extramile.store.journal_store import default_directory


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--journal", type=Path, default=None,
                        help="the journal folder (default: $EXTRAMILE_JOURNAL_DIR, else ./journal)")
    actions = parser.add_subparsers(dest="action", required=True)
    actions.add_parser("list", help="claimed names, and names waiting after wrong passphrases")
    for action, help_text in (("unlock", "let a name try again now"),
                              ("reset", "print a one-time code that lets the person choose a new passphrase")):
        actions.add_parser(action, help=help_text).add_argument("name", help="the name exactly as they typed it")


def run(args: argparse.Namespace) -> int:
    journal = Journal(args.journal or default_directory())  # accounts live in the room's folder, never a service
    if not journal.directory.is_dir():
        print(f"accounts: there is no journal folder at {journal.directory}. Pass --journal DIR "
              "or set EXTRAMILE_JOURNAL_DIR.", file=sys.stderr)
        return 2
    accounts = Accounts(journal)
    try:
        name = clean_name(args.name) if args.action != "list" else ""
    except JournalError as exc:
        print(f"accounts: {exc}", file=sys.stderr)
        return 2
    try:
        return {"list": _list, "unlock": _unlock, "reset": _reset}[args.action](accounts, name)
    except OSError as exc:
        print(f"accounts: {exc}", file=sys.stderr)
        return 1


def _list(accounts: Accounts, _name: str) -> int:
    claimed = len(list(accounts.passphrases.directory.glob("*.json")))
    print(f"{claimed} account{'' if claimed == 1 else 's'} in {accounts.journal.directory}")
    locks = accounts.throttle.locks()
    if not locks:
        print("No name has wrong passphrases on record.")
    for lock in locks:
        state = f"waits {lock.wait:.0f} s more" if lock.wait else "may try now"
        print(f"  {lock.name}: {lock.refusals} wrong passphrase{'' if lock.refusals == 1 else 's'} in a row; "
              f"{state}")
    return 0


def _unlock(accounts: Accounts, name: str) -> int:
    if accounts.throttle.clear(name):
        print(f"{name} may sign in again now.")
    else:
        print(f"{name} had no wrong passphrases on record: nothing to unlock.")
    return 0


def _reset(accounts: Accounts, name: str) -> int:
    try:
        code = accounts.passphrases.reset(name)
    except NoAccount:
        print(f"accounts: there is no account for {name!r} in {accounts.journal.directory}. The name must match "
              "exactly as typed at the first sign-in (run `list` to count accounts).", file=sys.stderr)
        return 1
    accounts.throttle.clear(name)
    print(f"Reset code for {name}: {code}\n"
          f"Read it out. Within {RESET_SECONDS // 3600} hours, {name} signs in with their name and this code "
          "as the passphrase, then chooses a new passphrase. Their old passphrase no longer works; their "
          "answers stay theirs.")
    return 0
