"""Every text column cleans what is written to it, through the ORM or a bulk statement alike."""

def test_a_column_cleans_text_written_by_any_path(db):
    from sqlmodel import update

    from records.models import Engagement
    from tests.factories import make_engagement
    e = make_engagement(db)
    db.exec(update(Engagement).where(Engagement.id == e.id).values(title="标题\ufffe\ud800\r\n第二行"))
    db.commit()
    db.expire_all()
    assert db.get(Engagement, e.id).title == "标题\n第二行"
