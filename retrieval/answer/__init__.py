"""From a question to quotes: candidate sentences ranked, built into citable quotes, conflicting figures shown."""
