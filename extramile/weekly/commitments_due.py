"""Which commitments come back to be looked at in a week: plain logic on one participant's entries."""

from __future__ import annotations

from datetime import datetime

from extramile.content import weeks
from extramile.content.weeks import COMMITMENT, REVIEW, WEEKLY_EXERCISES


def _local_week(at: str) -> str | None:
    try:
        return weeks.week_of(datetime.fromisoformat(at).astimezone().date())
    except (AttributeError, TypeError, ValueError):
        return None


def commitments_to_review(entries: list[dict], week: str) -> list[tuple[str, dict]]:
    """('workshop' or 'weekly', entry) for each commitment to look back on in this week.

    The workshop's commitments from the week they were made, and the latest
    commitment made in an earlier week; each until it is reviewed as kept in
    an earlier week. Editing a commitment gives it a new id, so an edited
    commitment is asked about afresh.
    """
    kept = {answer["commitment"] for e in entries
            if e.get("exercise") == REVIEW and (answer := weeks.weekly_answer(e))
            and answer.get("status") == "kept" and answer["week"] < week}
    found = []
    for entry in entries:
        if (entry.get("kind") == "commitment" and entry.get("exercise") not in WEEKLY_EXERCISES
                and isinstance(entry.get("answer"), dict) and entry["id"] not in kept):
            made = _local_week(entry.get("at", ""))
            if made is not None and made <= week:
                found.append(("workshop", entry))
    earlier = [e for e in entries
               if e.get("exercise") == COMMITMENT and (answer := weeks.weekly_answer(e)) and answer["week"] < week]
    if earlier:
        last = max(earlier, key=lambda e: (e["answer"]["week"], str(e.get("at", ""))))
        if last["id"] not in kept:
            found.append(("weekly", last))
    return found
