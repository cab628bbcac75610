"""图文动态信息: the news items an organizer writes during the class (title, day, text,
pictures with captions), and all of them as one Word document for the submission."""

from dataclasses import dataclass
from datetime import date
from typing import Any

from backend.auth.models import User
from backend.classes.models import TrainingClass
from backend.core.errors import ApiError, validation_failed
from backend.core.timeutil import utcnow
from backend.exports.facts import cn_date, facts_of
from backend.exports.models import NewsItem, NewsPicture
from backend.exports.report import store_picture
from backend.exports.word import centered, new_document, paragraphs, picture, to_bytes
from backend.extensions import db

TITLE = "图文动态信息"
MAX_PICTURES_PER_ITEM = 10


def items_of(class_id: int) -> list[NewsItem]:
    """The class's news, in the order things happened."""
    return db.session.scalars(
        db.select(NewsItem).where(NewsItem.class_id == class_id).order_by(NewsItem.day, NewsItem.id)
    ).all()


def pictures_of(news_ids: list[int]) -> dict[int, list[NewsPicture]]:
    rows = db.session.scalars(
        db.select(NewsPicture).where(NewsPicture.news_id.in_(news_ids)).order_by(NewsPicture.id)
    )
    found: dict[int, list[NewsPicture]] = {news_id: [] for news_id in news_ids}
    for row in rows:
        found[row.news_id].append(row)
    return found


def item_view(item: NewsItem, pictures: list[NewsPicture]) -> dict[str, Any]:
    return {
        "id": item.id,
        "class_id": item.class_id,
        "title": item.title,
        "date": item.day,
        "text": item.text,
        "updated_at": item.updated_at,
        "pictures": pictures,
    }


def news_view(class_id: int) -> list[dict[str, Any]]:
    """The body of GET /classes/{id}/news."""
    items = items_of(class_id)
    pictures = pictures_of([item.id for item in items])
    return [item_view(item, pictures[item.id]) for item in items]


def _check_day(training_class: TrainingClass, day: date) -> None:
    """A news item tells of the class: its day lies within a month around the class."""
    first, last = training_class.start_date, training_class.end_date
    if not (first.toordinal() - 30 <= day.toordinal() <= last.toordinal() + 30):
        raise validation_failed(
            {"date": [f"日期应在办班时间前后一个月内（{cn_date(first)}至{cn_date(last)}）"]}
        )


def add_item(training_class: TrainingClass, data: dict[str, Any], by: User) -> NewsItem:
    _check_day(training_class, data["date"])
    item = NewsItem(
        class_id=training_class.id,
        title=data["title"],
        day=data["date"],
        text=data.get("text", ""),
        created_by_id=by.id,
    )
    db.session.add(item)
    db.session.flush()
    return item


def update_item(training_class: TrainingClass, item: NewsItem, data: dict[str, Any]) -> None:
    if "date" in data:
        _check_day(training_class, data["date"])
        item.day = data["date"]
    if "title" in data:
        item.title = data["title"]
    if "text" in data:
        item.text = data["text"]
    item.updated_at = utcnow()
    db.session.flush()


def delete_item(item: NewsItem) -> None:
    db.session.execute(db.delete(NewsPicture).where(NewsPicture.news_id == item.id))
    db.session.delete(item)
    db.session.flush()


def item_of(news_id: int) -> NewsItem:
    """The item, whichever class; the caller checks the class (404 for another unit's)."""
    item = db.session.get(NewsItem, news_id)
    if item is None:
        raise ApiError(404, "not_found", "找不到该动态信息")
    return item


def add_picture(item: NewsItem, data: bytes, caption: str, by: User) -> NewsPicture:
    """A PNG or JPEG checked as the report's pictures are (size, kind, pixels)."""
    count = db.session.scalar(
        db.select(db.func.count()).select_from(NewsPicture).where(NewsPicture.news_id == item.id)
    )
    if count >= MAX_PICTURES_PER_ITEM:
        raise validation_failed({"file": [f"每条动态最多 {MAX_PICTURES_PER_ITEM} 张图片"]})
    return store_picture(NewsPicture(news_id=item.id), data, caption, by)


def picture_of(item: NewsItem, picture_id: int) -> NewsPicture:
    found = db.session.get(NewsPicture, picture_id)
    if found is None or found.news_id != item.id:
        raise ApiError(404, "not_found", "找不到该图片")
    return found


@dataclass(frozen=True)
class NewsStory:
    title: str
    day: date
    text: str
    #: (bytes, caption) per picture.
    pictures: list[tuple[bytes, str]]


@dataclass(frozen=True)
class NewsDocument:
    title: str
    host_unit: str
    dates_text: str
    stories: list[NewsStory]


def gather(training_class: TrainingClass) -> NewsDocument:
    facts = facts_of(training_class)
    items = items_of(training_class.id)
    pictures = pictures_of([item.id for item in items])
    stories = [
        NewsStory(item.title, item.day, item.text, [(p.data, p.caption) for p in pictures[item.id]])
        for item in items
    ]
    return NewsDocument(facts.title, facts.host_unit, facts.dates_text, stories)


def news_docx(news: NewsDocument) -> bytes:
    """Every news item under its headline and day, pictures with captions, one document."""
    document = new_document()
    centered(document, TITLE, "黑体", 18, bold=True)
    centered(document, news.title, "楷体", 14)
    centered(document, f"承办单位：{news.host_unit}　　举办时间：{news.dates_text}", "楷体", 12)
    if not news.stories:
        paragraphs(document, "")
    for number, story in enumerate(news.stories, start=1):
        document.add_heading(f"{number}. {story.title}", level=1)
        centered(document, cn_date(story.day), "楷体", 12)
        paragraphs(document, story.text)
        for data, caption in story.pictures:
            picture(document, data, caption)
    return to_bytes(document)
