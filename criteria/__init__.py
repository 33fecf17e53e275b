"""Indicator trees of GB/T 27922 (and certification bodies' own scoring sheets) as checked data."""
from criteria.loader import load_tree_file, parse_tree
from criteria.model import Node, Provenance, Tree
from criteria.registry import DEFAULT_TREE_ID, TreeRegistry

__all__ = ["DEFAULT_TREE_ID", "Node", "Provenance", "Tree", "TreeRegistry", "load_tree_file", "parse_tree"]
