"""Chinese labels for the values the core uses in English."""
from criteria.model import PROVENANCE_LABELS, Provenance
from scoring.stars import DECISION_LABELS, STAR_LABELS

PROVENANCE_BADGES = {
    Provenance.VERIFIED: ":green-badge[已核实]",
    Provenance.PARAPHRASE: ":orange-badge[转述]",
    Provenance.INFERRED: ":gray-badge[本产品拟定]",
    Provenance.NUMBER_INFERRED: ":blue-badge[名称已核实，编号为推断]",
}

__all__ = ["DECISION_LABELS", "PROVENANCE_BADGES", "PROVENANCE_LABELS", "STAR_LABELS"]
