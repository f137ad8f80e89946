"""Django's database sessions (``SESSION_ENGINE`` without Redis), read with SQL written once.

Every request of a signed-in person reads their session. Through the ORM, building that
lookup cost more than the database took to answer it; here it is the same SQL every time,
prepared on PostgreSQL as the other reads made on every request are
(coordinators/prepared.py). Writing, creating and deleting a session are Django's own.
"""

from django.contrib.sessions.backends import db
from django.db import connections, router
from django.utils import timezone

from coordinators.prepared import read_sql


class SessionStore(db.SessionStore):
    def _get_session_from_db(self):
        """The session of this key that has not expired, else None (and no key: a new
        session is made when something is stored), as Django's database sessions do."""
        model = self.model
        connection = connections[router.db_for_read(model)]
        name = connection.ops.quote_name
        table = name(model._meta.db_table)
        with connection.cursor() as cursor:
            read_sql(
                cursor,
                f"SELECT {name('session_data')} FROM {table} "
                f"WHERE {name('session_key')} = %s AND {name('expire_date')} > %s",
                [self.session_key, connection.ops.adapt_datetimefield_value(timezone.now())],
            )
            row = cursor.fetchone()
        if row is None:
            self._session_key = None
            return None
        # What ``load`` reads of it: its data.
        return model(session_key=self.session_key, session_data=row[0])
