"""File answers (downloads) with a Chinese file name that every browser keeps, and the check
of an uploaded .xlsx before it is read."""

import io
import zipfile
import zlib
from urllib.parse import quote
from xml.etree.ElementTree import ParseError

from defusedxml import DefusedXmlException
from defusedxml.ElementTree import DefusedXMLParser
from flask import Response

from backend.core.errors import ApiError, validation_failed

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def download(data: bytes, filename: str, mimetype: str) -> Response:
    response = Response(data, mimetype=mimetype)
    stem, dot, extension = filename.rpartition(".")
    ascii_stem = stem.encode("ascii", "ignore").decode().strip() or "download"
    ascii_name = f"{ascii_stem}{dot}{extension}"
    response.headers["Content-Disposition"] = (
        f"attachment; filename=\"{ascii_name}\"; filename*=UTF-8''{quote(filename)}"
    )
    return response


def xlsx_response(data: bytes, filename: str) -> Response:
    return download(data, filename, XLSX)


#: The parts of an .xlsx that a reader parses as XML.
_XML_PARTS = (".xml", ".rels")


class _Discard:
    """An XML parser target that keeps nothing: the parse only proves the text well-formed."""

    def start(self, tag, attrib) -> None: ...
    def end(self, tag) -> None: ...
    def data(self, text) -> None: ...
    def close(self) -> None: ...


def check_xlsx(data: bytes, max_unpacked: int) -> None:
    """Refuse an upload that is not a plain .xlsx before any spreadsheet reader opens it:
    not a zip (422), bigger than `max_unpacked` once unpacked (413), or an XML part that is
    not well-formed or declares a DOCTYPE or entities (422; defusedxml, so that no entity
    is ever expanded and no parse error surfaces later as a 500)."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            members = archive.infolist()
            if sum(info.file_size for info in members) > max_unpacked:
                raise ApiError(413, "payload_too_large", "文件解压后过大，请检查是否为正常的表格")
            for info in members:
                if info.filename.endswith(_XML_PARTS):
                    _parse_discarding(archive, info)
    except (zipfile.BadZipFile, EOFError, zlib.error) as error:
        raise validation_failed({"file": ["不是有效的 .xlsx 文件"]}) from error
    except (ParseError, DefusedXmlException) as error:
        raise validation_failed({"file": ["无法读取该 .xlsx 文件（内容格式异常）"]}) from error


def _parse_discarding(archive: zipfile.ZipFile, info: zipfile.ZipInfo) -> None:
    parser = DefusedXMLParser(target=_Discard(), forbid_dtd=True)
    with archive.open(info) as member:
        while chunk := member.read(1 << 16):
            parser.feed(chunk)
    parser.close()
