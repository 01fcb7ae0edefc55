"""The outcome vocabulary: a closed set of reasons whose stored words stay those admins
already count (rows written before the enum keep their meaning)."""

from __future__ import annotations

from service.inbound.models import UNAUTHENTICATED, InboundState
from service.inbound.outcomes import Reason, describe, ignored


def test_a_reason_with_its_detail_reads_as_the_words_stored_before_the_enum():
    assert describe(Reason.AUTOMATED, "out-of-office") == "automated: out-of-office"
    assert describe(Reason.UNAUTHENTICATED, "no DKIM") == f"{UNAUTHENTICATED}: no DKIM"
    assert describe(Reason.SENDER_LEFT, "unsubscribed") == "sender is unsubscribed"
    assert describe(Reason.RELAYED, "giver_to_learner") == "relayed giver_to_learner"
    assert describe(Reason.COMMAND, "pause 2") == "command: pause 2"
    assert describe(Reason.EMPTY) == "empty reply"


def test_a_stop_carries_its_state_reason_and_stored_words():
    stop = ignored(Reason.PAUSE_REFUSED, "at most six months")
    assert (stop.state, stop.reason) == (InboundState.IGNORED, Reason.PAUSE_REFUSED)
    assert stop.outcome == str(stop) == "pause refused: at most six months"
