"""Exchange with translators' tools: XLIFF and TMX for CAT tools, a review DOCX for Word,
and applying what comes back to the release's translation without losing a word."""
