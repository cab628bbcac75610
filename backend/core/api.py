"""flask-smorest's Api with our error shape in the OpenAPI document."""

from flask_smorest import Api

from backend.core.errors import ErrorSchema, handle_http_exception


class YanxiuApi(Api):
    """Documents errors with ErrorSchema and answers HTTP errors in API.md's shape."""

    ERROR_SCHEMA = ErrorSchema

    def handle_http_exception(self, error):
        return handle_http_exception(error)
