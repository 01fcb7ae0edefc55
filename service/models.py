"""Imports every model so the metadata (Alembic, create_all) and relationships are complete."""

from service.admin.models import AdminUser, AuditEntry  # noqa: F401
from service.confidence.models import ConfidenceRating  # noqa: F401
from service.inbound.models import DeliveryEvent, InboundMessage  # noqa: F401
from service.mail.models import OutgoingEmail  # noqa: F401
from service.rounds.models import (  # noqa: F401
    Answer,
    Challenge,
    ChallengeTranslation,
    Pairing,
    Round,
    SharedTip,
    Standby,
    Theme,
    ThemeTranslation,
    ThreadMessage,
)
from service.settings import Setting  # noqa: F401
from service.subscriptions.models import (  # noqa: F401
    SoftBounce,
    Subscriber,
    Suppression,
)
