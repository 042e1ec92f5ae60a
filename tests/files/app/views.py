from kit.views import ListCreateModelView, RetrieveUpdateDestroyModelView
from tests.files.app.models import Document


class DocumentList(ListCreateModelView):
    model = Document
    resource = "documents"


class DocumentDetail(RetrieveUpdateDestroyModelView):
    model = Document
    resource = "documents"
