"""The curated tips library: tips their authors agreed to share (rounds.tips, the consent)
are approved, edited for clarity, attached to a challenge or hidden by editors here, and
only approved tips reach learners without a partner."""
