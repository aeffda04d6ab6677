"""Background jobs (api.md "Jobs")."""

from marshmallow import Schema, fields

from spinta.models import JOB_KINDS, JOB_STATUSES


class JobAcceptedSchema(Schema):
    job_id = fields.UUID(required=True)
    status = fields.String(required=True, metadata={"enum": list(JOB_STATUSES)})


class JobSchema(Schema):
    job_id = fields.UUID(attribute="id", required=True)
    kind = fields.String(required=True, metadata={"enum": list(JOB_KINDS)})
    status = fields.String(required=True, metadata={"enum": list(JOB_STATUSES)})
    progress = fields.Float(
        required=True, metadata={"minimum": 0, "maximum": 1, "description": "0 to 1"}
    )
    result = fields.Dict(
        allow_none=True,
        required=True,
        metadata={"description": "When done: the upload's 201 body (re-analysis: `matches`)"},
    )
    error = fields.Dict(
        allow_none=True,
        required=True,
        metadata={
            "description": "When failed: the error body the request would have answered, with"
            " its HTTP `status`"
        },
    )
