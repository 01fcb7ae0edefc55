"""Confidence check-ins: how sure a learner feels in each theme (at signup, in the
preference centre, and every few weeks in the recap), and the themes tip-givers are most
at home in. Optional, never shown to the partner; a dated history, not an overwrite."""
