"""The PDF download's documentation."""

from api.openapi import STORAGE_UNAVAILABLE, UNAUTHORIZED, error_detail
from presentation.openapi import UNKNOWN_THEME
from presentation.serializers import ThemeQuerySerializer
from resumes.openapi import NOT_FOUND

RESUME_PDF = {
    "operation_id": "resumes_pdf",
    "operation_summary": "Download a résumé as a PDF",
    "operation_description": "Any of your résumés, public or not, in any theme (default: "
    "the résumé's own). When the PDF of the résumé as it is now is stored, a redirect (302) "
    "to a URL that downloads it as `<title slug>.pdf`, valid for PDF_URL_EXPIRE_SECONDS. "
    "Otherwise its render starts and the answer is 202 with `Retry-After`: ask again after "
    "that many seconds. A public résumé's PDF is rendered whenever it changes, so it is "
    "usually ready.",
    "query_serializer": ThemeQuerySerializer,
    "responses": {
        302: "Redirect to the stored PDF (an attachment named after the résumé's title).",
        202: error_detail(
            "The PDF is being rendered: the Retry-After header says when to ask again.",
            "The PDF is being rendered; ask again in 3 seconds.",
        ),
        400: UNKNOWN_THEME,
        401: UNAUTHORIZED,
        404: NOT_FOUND,
        422: error_detail(
            "The résumé makes a PDF of more pages than the server allows (PDF_MAX_PAGES).",
            "This résumé makes a PDF of more than 12 pages, the most allowed. Shorten its "
            "content to download it as a PDF.",
        ),
        503: STORAGE_UNAVAILABLE,
    },
}
