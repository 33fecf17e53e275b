"""Imports every table module, so SQLModel's metadata (and Alembic) sees the whole schema."""
from accounts import models as account_models  # noqa: F401
from accounts import token_models  # noqa: F401
from cycle import models as cycle_models  # noqa: F401
from evidence import models as evidence_models  # noqa: F401
from issuance import models as issuance_models  # noqa: F401
from nonconformities import models as nonconformity_models  # noqa: F401
from readiness import models as readiness_models  # noqa: F401
from records import models as record_models  # noqa: F401
from samples import models as sample_models  # noqa: F401
from sampling import models as sampling_models  # noqa: F401
