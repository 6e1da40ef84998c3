from drf_yasg.utils import swagger_auto_schema
from rest_framework import status
from rest_framework.decorators import api_view, throttle_classes
from rest_framework.request import Request
from rest_framework.response import Response

from api.throttling import throttle_scope
from exports import openapi as docs
from exports.selectors import export_get, export_list
from exports.serializers import AccountExportSerializer
from exports.services import export_request
from users.throttling import AccountChangeThrottle


@swagger_auto_schema(method="get", **docs.LIST)
@swagger_auto_schema(method="post", **docs.REQUEST)
@throttle_scope("export")
@api_view(["GET", "POST"])
@throttle_classes([AccountChangeThrottle])
def export_list_create(request: Request) -> Response:
    if request.method == "POST":
        export = export_request(user=request.user)
        data = AccountExportSerializer(export, context={"request": request}).data
        return Response(data, status=status.HTTP_202_ACCEPTED)
    exports = export_list(user=request.user).select_related("user")
    return Response(AccountExportSerializer(exports, many=True, context={"request": request}).data)


@swagger_auto_schema(method="get", **docs.READ)
@api_view(["GET"])
def export_detail(request: Request, export_id: int) -> Response:
    export = export_get(user=request.user, export_id=export_id)
    return Response(AccountExportSerializer(export, context={"request": request}).data)
