"""Typed settings, read from the environment (prefix AUDIT_) or a .env file, checked at start."""
from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict

PROJECT_DIR = Path(__file__).resolve().parent


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="AUDIT_", env_file=".env", extra="ignore")

    data_dir: Path = Field(PROJECT_DIR / "data", description="where the database, evidence and extra trees live")
    database_url: str = Field("", description="SQLAlchemy URL; empty means a SQLite file in data_dir")
    trees_dir: Path | None = Field(None, description="extra indicator-tree files; default data_dir/trees")
    evidence_dir: Path | None = Field(None, description="evidence files; default data_dir/evidence")
    max_upload_mb: int = Field(200, ge=1, le=10_000, description="largest evidence file accepted, in MB")
    nc_days_serious: int = Field(30, ge=1, le=365, description="default rectification deadline, serious")
    nc_days_general: int = Field(30, ge=1, le=365, description="default rectification deadline, general")
    timezone: str = Field("Asia/Shanghai", description="time zone for times shown in the app and reports")
    idle_minutes: int = Field(30, ge=1, le=24 * 60, description="log out after this many idle minutes")
    demo_data: bool | None = Field(None, description="load demo data into an empty database; default: only on SQLite")

    @property
    def extra_trees_dir(self) -> Path:
        return self.trees_dir or self.data_dir / "trees"

    @property
    def evidence_folder(self) -> Path:
        return self.evidence_dir or self.data_dir / "evidence"

    @property
    def load_demo(self) -> bool:
        return self.demo_data if self.demo_data is not None else not self.database_url

    @property
    def effective_database_url(self) -> str:
        return self.database_url or f"sqlite:///{self.data_dir / 'audit.db'}"


@lru_cache
def settings() -> Settings:
    return Settings()
