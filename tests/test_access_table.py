"""Who may do what, as one table.

Every URL pattern of the project is read from the resolver; each must have a row here that
declares, for each person, the outcome of a GET and, for forms and actions, of a POST made
with real ids and a valid body in one world (tests/access_world.py, tests/url_cases.py):

    ok     200, or a redirect that is not to the login page (and, for a POST, no form
           error and no error message: the action really happened)
    login  a redirect to the login page
    403    a role that may not do this, or may look but not act
    404    outside the person's reach: another organization, team or coordinator
    405    the method is not allowed (actions refuse GET)

Columns: anonymous, the coordinator themself (self), another coordinator of the same team
(mate), their director (dir), the director of another team of the same organization
(o.dir), the org admin, the admin of another organization (o.adm), and the coordinator's
mentor, who coordinates on another team.

On top of the declared outcome, a refusal must not depend on the object existing: for those
who never reach the coordinator's records, a real id and an unknown id answer alike.

Two editors: every URL whose recipe names the versioned row it edits (``edits=`` in
tests/<app>/url_cases.py: goals, supports, people, schools, teams, cycles, career stages, the
support catalogue, flag thresholds, role families) is also opened by two of the people this
table lets POST it (a second org admin where only one may): the first saves, the second saves
from the stale form and is refused (409) with nothing written and their typing shown back, with
what was saved meanwhile beside it (tests/test_two_editors.py). A page whose form edits a saved
row, or an UpdateView, without ``edits=`` and the form's version fails there. The matrix, the
review and the rubric editor carry their own versions (tests/assessments/test_races.py,
tests/rubrics/test_races.py).
"""

import io
import zipfile

import pytest
from django.test import override_settings
from django.urls import reverse

from tests.access_world import (
    ACTORS,
    INHERITED_NOTES,
    client_for,
    error_messages,
    form_errors,
    outcome,
    rolled_back,
)
from tests.assessments.url_cases import share_with_the_director
from tests.url_cases import CASES, url_names, url_of

GET, POST = "GET", "POST"
OUTCOMES = {"ok", "login", "401", "403", "404", "405"}
UNKNOWN_ID = 2_000_000_000
# These people never reach the coordinator's records: their refusals must not tell whether
# an id exists.
BLIND = ("teammate", "other_director", "other_admin")

ACCESS = """
# Accounts (Django's own views) and the landing redirect. Logging out ends on the login page.
# URL name                                  anon  self  mate  dir   o.dir admin o.adm mentor
home                                   GET  login ok    ok    ok    ok    ok    ok    ok
healthz                                GET  ok    ok    ok    ok    ok    ok    ok    ok
favicon                                GET  ok    ok    ok    ok    ok    ok    ok    ok
login                                  GET  ok    ok    ok    ok    ok    ok    ok    ok
login                                  POST ok    ok    ok    ok    ok    ok    ok    ok
logout                                 GET  login 405   405   405   405   405   405   405
logout                                 POST login login login login login login login login
password_change                        GET  login ok    ok    ok    ok    ok    ok    ok
password_change                        POST login ok    ok    ok    ok    ok    ok    ok
password_change_done                   GET  login ok    ok    ok    ok    ok    ok    ok
password_reset                         GET  ok    ok    ok    ok    ok    ok    ok    ok
password_reset                         POST ok    ok    ok    ok    ok    ok    ok    ok
password_reset_done                    GET  ok    ok    ok    ok    ok    ok    ok    ok
password_reset_confirm                 GET  ok    ok    ok    ok    ok    ok    ok    ok
password_reset_complete                GET  ok    ok    ok    ok    ok    ok    ok    ok

# Sign-in: the org admin's settings and providers, the reset of a member's lost second factor
# (the teammate's), the login page's look-up of an email's provider (anyone), allauth's
# provider sign-in (the callback without a sign-in under way is refused: 401 page, "login"
# here is the redirect allauth's leftovers go to) and two-factor pages of the person signed in
# (404: the page of an app or codes they have not set up; the two-factor step without a login
# under way sends a signed-in person home). Everyone signed in links or unlinks their own
# account of their organization's provider (another organization's: 404); the org admin
# deletes a provider's configuration.
# URL name                                  anon  self  mate  dir   o.dir admin o.adm mentor
signin:settings                        GET  login 403   403   403   403   ok    ok    403
signin:settings                        POST login 403   403   403   403   ok    ok    403
signin:provider-create                 GET  login 403   403   403   403   ok    ok    403
signin:provider-create                 POST login 403   403   403   403   ok    ok    403
signin:provider-update                 GET  login 403   403   403   403   ok    404   403
signin:provider-update                 POST login 403   403   403   403   ok    404   403
signin:provider-delete                 GET  login 403   403   403   403   ok    404   403
signin:provider-delete                 POST login 403   403   403   403   ok    404   403
signin:linked-accounts                 GET  login ok    ok    ok    ok    ok    ok    ok
signin:unlink                          GET  login ok    ok    ok    ok    ok    404   ok
signin:unlink                          POST login ok    ok    ok    ok    ok    404   ok
signin:two-factor-reset                GET  login 403   403   403   403   ok    404   403
signin:two-factor-reset                POST login 403   403   403   403   ok    404   403
signin:lookup                          GET  ok    ok    ok    ok    ok    ok    ok    ok
signin:lookup                          POST ok    ok    ok    ok    ok    ok    ok    ok
account_login                          GET  login login login login login login login login
openid_connect_login                   GET  ok    ok    ok    ok    ok    ok    ok    ok
openid_connect_callback                GET  401   401   401   401   401   401   401   401
mfa_index                              GET  login ok    ok    ok    ok    ok    ok    ok
mfa_authenticate                       GET  login ok    ok    ok    ok    ok    ok    ok
mfa_activate_totp                      GET  login ok    ok    ok    ok    ok    ok    ok
mfa_deactivate_totp                    GET  login 404   ok    404   404   404   404   404
mfa_view_recovery_codes                GET  login 404   404   404   404   404   404   404
mfa_generate_recovery_codes            GET  login ok    ok    ok    ok    ok    ok    ok
mfa_download_recovery_codes            GET  login 404   404   404   404   404   404   404

# The org admin's API tokens, and the read API itself: a session is no token (401); the schema
# (no data) is public.
# URL name                                  anon  self  mate  dir   o.dir admin o.adm mentor
api:token-list                         GET  login 403   403   403   403   ok    ok    403
api:token-list                         POST login 403   403   403   403   ok    ok    403
api:token-revoke                       GET  login 403   403   403   403   ok    404   403
api:token-revoke                       POST login 403   403   403   403   ok    404   403
api-v1:openapi-json                    GET  ok    ok    ok    ok    ok    ok    ok    ok
api-v1:schools                         GET  401   401   401   401   401   401   401   401
api-v1:teams                           GET  401   401   401   401   401   401   401   401
api-v1:people                          GET  401   401   401   401   401   401   401   401
api-v1:cycles                          GET  401   401   401   401   401   401   401   401
api-v1:assessments                     GET  401   401   401   401   401   401   401   401
api-v1:flags                           GET  401   401   401   401   401   401   401   401
api-v1:changes                         GET  401   401   401   401   401   401   401   401
api-v1:report                          GET  401   401   401   401   401   401   401   401
api-v1:openapi-view                    GET  ok    ok    ok    ok    ok    ok    ok    ok
api-v1:api-root                        GET  404   404   404   404   404   404   404   404

# Landing pages per role; the no-role page is itself a refusal (403).
# URL name                                  anon  self  mate  dir   o.dir admin o.adm mentor
pages:my-growth                 GET  login ok    ok    403   403   403   403   ok
pages:my-team                   GET  login 403   403   ok    ok    ok    ok    403
pages:organization              GET  login 403   403   403   403   ok    ok    403
pages:no-role                   GET  login 403   403   403   403   403   403   403

# Roster import (the status page reads a queued import of the org).
# URL name                                  anon  self  mate  dir   o.dir admin o.adm mentor
roster:roster-import             GET  login 403   403   403   403   ok    ok    403
roster:roster-import             POST login 403   403   403   403   ok    ok    403
roster:roster-import-confirm     GET  login 405   405   405   405   405   405   405
roster:roster-import-confirm     POST login 403   403   403   403   ok    ok    403
roster:roster-import-status      GET  login 403   403   403   403   ok    404   403
roster:roster-template           GET  login 403   403   403   403   ok    ok    403

# The org admin's schools, teams and people, one at a time.
# URL name                                  anon  self  mate  dir   o.dir admin o.adm mentor
coordinators:school-list               GET  login 403   403   403   403   ok    ok    403
coordinators:school-create             GET  login 403   403   403   403   ok    ok    403
coordinators:school-create             POST login 403   403   403   403   ok    ok    403
coordinators:school-update             GET  login 403   403   403   403   ok    404   403
coordinators:school-update             POST login 403   403   403   403   ok    404   403
coordinators:school-deactivate         GET  login 405   405   405   405   405   405   405
coordinators:school-deactivate         POST login 403   403   403   403   ok    404   403
coordinators:school-reactivate         GET  login 405   405   405   405   405   405   405
coordinators:school-reactivate         POST login 403   403   403   403   ok    404   403
coordinators:team-list                 GET  login 403   403   403   403   ok    ok    403
coordinators:team-create               GET  login 403   403   403   403   ok    ok    403
coordinators:team-create               POST login 403   403   403   403   ok    ok    403
coordinators:team-update               GET  login 403   403   403   403   ok    404   403
coordinators:team-update               POST login 403   403   403   403   ok    404   403
coordinators:person-list               GET  login 403   403   403   403   ok    ok    403
coordinators:person-create             GET  login 403   403   403   403   ok    ok    403
coordinators:person-create             POST login 403   403   403   403   ok    ok    403
coordinators:person-update             GET  login 403   403   403   403   ok    404   403
coordinators:person-update             POST login 403   403   403   403   ok    404   403
coordinators:person-role-add           GET  login 405   405   405   405   405   405   405
coordinators:person-role-add           POST login 403   403   403   403   ok    404   403
coordinators:person-role-remove        GET  login 405   405   405   405   405   405   405
coordinators:person-role-remove        POST login 403   403   403   403   ok    404   403
coordinators:person-deactivate         GET  login 405   405   405   405   405   405   405
coordinators:person-deactivate         POST login 403   403   403   403   ok    404   403
coordinators:person-reactivate         GET  login 405   405   405   405   405   405   405
coordinators:person-reactivate         POST login 403   403   403   403   ok    404   403
coordinators:picker-options            GET  login 403   403   ok    ok    ok    ok    403
coordinators:organization-settings     GET  login 403   403   403   403   ok    ok    403
coordinators:organization-settings     POST login 403   403   403   403   ok    ok    403

# The rubric editor: org admins only, within their organization.
# URL name                                  anon  self  mate  dir   o.dir admin o.adm mentor
rubrics:role-family-list           GET  login 403   403   403   403   ok    ok    403
rubrics:role-family-create         GET  login 403   403   403   403   ok    ok    403
rubrics:role-family-create         POST login 403   403   403   403   ok    ok    403
rubrics:role-family-update         GET  login 403   403   403   403   ok    404   403
rubrics:role-family-update         POST login 403   403   403   403   ok    404   403
rubrics:role-family-people         GET  login 403   403   403   403   ok    ok    403
rubrics:role-family-assign         GET  login 405   405   405   405   405   405   405
rubrics:role-family-assign         POST login 403   403   403   403   ok    ok    403
rubrics:rubric-detail              GET  login 403   403   403   403   ok    404   403
rubrics:rubric-draft-create        GET  login 405   405   405   405   405   405   405
rubrics:rubric-draft-create        POST login 403   403   403   403   ok    404   403
rubrics:rubric-version-detail      GET  login 403   403   403   403   ok    404   403
rubrics:rubric-draft               GET  login 403   403   403   403   ok    404   403
rubrics:rubric-draft               POST login 403   403   403   403   ok    404   403
rubrics:rubric-category-edit       GET  login 403   403   403   403   ok    404   403
rubrics:rubric-category-edit       POST login 403   403   403   403   ok    404   403
rubrics:rubric-category-carry      GET  login 405   405   405   405   405   405   405
rubrics:rubric-category-carry      POST login 403   403   403   403   ok    404   403
rubrics:rubric-compare             GET  login 403   403   403   403   ok    404   403
rubrics:rubric-publish             GET  login 405   405   405   405   405   405   405
rubrics:rubric-publish             POST login 403   403   403   403   ok    404   403
rubrics:rubric-discard             GET  login 405   405   405   405   405   405   405
rubrics:rubric-discard             POST login 403   403   403   403   ok    404   403
rubrics:rubric-history             GET  login 403   403   403   403   ok    404   403

# Dashboards and exports; the team ones ask for the coordinator's team (?team=).
# URL name                                  anon  self  mate  dir   o.dir admin o.adm mentor
dashboards:team-dashboard             GET  login 403   403   ok    404   ok    404   403
dashboards:team-dashboard-csv         GET  login 403   403   ok    404   ok    404   403
dashboards:team-dashboard-csv         POST login 403   403   ok    404   ok    404   403
dashboards:team-dashboard-xlsx        GET  login 403   403   ok    404   ok    404   403
dashboards:team-dashboard-xlsx        POST login 403   403   ok    404   ok    404   403
dashboards:org-overview               GET  login 403   403   403   403   ok    ok    403
dashboards:coordinator-detail         GET  login ok    404   ok    404   ok    404   404
dashboards:coordinator-history-export GET  login ok    404   ok    404   ok    404   404
dashboards:coordinator-timeline       GET  login ok    404   ok    404   ok    404   ok

# The organization's reports. Each org admin sees their own organization's; a director sees
# calibration only (their own figures named). The people behind a number: every group of the
# world is under five people, so each number is hidden and its people a 404 even to those who
# may open the report (tests/dashboards/views/test_reports.py opens real numbers).
# URL name                                  anon  self  mate  dir   o.dir admin o.adm mentor
dashboards:report-impact              GET  login 403   403   403   403   ok    ok    403
dashboards:report-impact-csv          GET  login 403   403   403   403   ok    ok    403
dashboards:report-impact-xlsx         GET  login 403   403   403   403   ok    ok    403
dashboards:report-impact-people       GET  login 403   403   403   403   404   404   403
dashboards:report-retention           GET  login 403   403   403   403   ok    ok    403
dashboards:report-retention-csv       GET  login 403   403   403   403   ok    ok    403
dashboards:report-retention-xlsx      GET  login 403   403   403   403   ok    ok    403
dashboards:report-retention-people    GET  login 403   403   403   403   404   404   403
dashboards:report-calibration         GET  login 403   403   ok    ok    ok    ok    403
dashboards:report-calibration-csv     GET  login 403   403   ok    ok    ok    ok    403
dashboards:report-calibration-xlsx    GET  login 403   403   ok    ok    ok    ok    403
dashboards:report-calibration-people  GET  login 403   403   404   404   404   404   403

# An export built in the background (the director's): its requester's alone, even among admins.
# URL name                                  anon  self  mate  dir   o.dir admin o.adm mentor
dashboards:export-job                 GET  login 403   403   ok    404   404   404   403
dashboards:export-job-status          GET  login 403   403   ok    404   404   404   403
dashboards:export-job-download        GET  login 403   403   ok    404   404   404   403

# A school's page: the org admin every school, a director their teams' schools, a
# coordinator their own; the schools view is the org admin's.
# URL name                                  anon  self  mate  dir   o.dir admin o.adm mentor
dashboards:school-detail              GET  login ok    404   ok    404   ok    404   404
dashboards:org-schools                GET  login 403   403   403   403   ok    ok    403

# A school's principal contact and partnership agreements: the org admin and the school's
# directors run them; the agreement's coordinator drafts, edits, reviews and signs it too;
# the director signs; an org admin who is not a signatory may not sign.
# URL name                                  anon  self  mate  dir   o.dir admin o.adm mentor
schoolsites:principal-contact          GET  login 403   404   ok    404   ok    404   404
schoolsites:principal-contact          POST login 403   404   ok    404   ok    404   404
schoolsites:agreement-create           GET  login 403   404   ok    404   ok    404   404
schoolsites:agreement-create           POST login 403   404   ok    404   ok    404   404
schoolsites:agreement-detail           GET  login ok    404   ok    404   ok    404   404
schoolsites:agreement-update           GET  login ok    404   ok    404   ok    404   404
schoolsites:agreement-update           POST login ok    404   ok    404   ok    404   404
schoolsites:agreement-review           GET  login ok    404   ok    404   ok    404   404
schoolsites:agreement-review           POST login ok    404   ok    404   ok    404   404
schoolsites:agreement-share            GET  login 405   405   405   405   405   405   405
schoolsites:agreement-share            POST login 403   404   ok    404   ok    404   404
schoolsites:agreement-sign             GET  login 405   405   405   405   405   405   405
schoolsites:agreement-sign             POST login ok    404   ok    404   403   404   404
schoolsites:agreement-print            GET  login ok    404   ok    404   ok    404   404

# The principal's signature link works without an account, and for anyone who holds it (a
# person signed in to another organization sees that form and nothing else).
# URL name                                  anon  self  mate  dir   o.dir admin o.adm mentor
schoolsites:agreement-sign-link        GET  ok    ok    ok    ok    ok    ok    ok    ok
schoolsites:agreement-sign-link        POST ok    ok    ok    ok    ok    ok    ok    ok

# Cycles. Any coordinator starts their own assessment in the open cycle.
# URL name                                  anon  self  mate  dir   o.dir admin o.adm mentor
assessments:cycle-list                 GET  login 403   403   403   403   ok    ok    403
assessments:cycle-create               GET  login 403   403   403   403   ok    ok    403
assessments:cycle-create               POST login 403   403   403   403   ok    ok    403
assessments:cycle-update               GET  login 403   403   403   403   ok    404   403
assessments:cycle-update               POST login 403   403   403   403   ok    404   403
assessments:cycle-detail               GET  login 403   403   403   403   ok    404   403
assessments:cycle-open                 GET  login 403   403   403   403   ok    404   403
assessments:cycle-open                 POST login 403   403   403   403   ok    404   403
assessments:cycle-close                GET  login 403   403   403   403   ok    404   403
assessments:cycle-close                POST login 403   403   403   403   ok    404   403
assessments:cycle-dates                GET  login 403   403   403   403   ok    404   403
assessments:cycle-dates                POST login 403   403   403   403   ok    404   403
assessments:assessment-start           GET  login 405   405   405   405   405   405   405
assessments:assessment-start           POST login ok    ok    403   403   403   403   ok

# The coordinator's matrix: their director (or an admin) opening it is sent to
# the review, and may not save it (403). Only the coordinator acts on it.
# URL name                                  anon  self  mate  dir   o.dir admin o.adm mentor
assessments:assessment-detail          GET  login ok    404   ok    404   ok    404   404
assessments:assessment-detail          POST login ok    404   403   404   403   404   404
assessments:assessment-autosave        GET  login 405   405   405   405   405   405   405
assessments:assessment-autosave        POST login ok    404   403   403   403   403   404
assessments:assessment-submit          GET  login 405   405   405   405   405   405   405
assessments:assessment-submit          POST login ok    404   403   403   403   403   404
assessments:assessment-recall          GET  login 405   405   405   405   405   405   405
assessments:assessment-recall          POST login ok    404   403   403   403   403   404
assessments:assessment-acknowledge     GET  login 405   405   405   405   405   405   405
assessments:assessment-acknowledge     POST login ok    404   403   403   403   403   404

# The review: their director or an org admin; coordinators are the wrong role.
# URL name                                  anon  self  mate  dir   o.dir admin o.adm mentor
assessments:assessment-review          GET  login 403   403   ok    404   ok    404   403
assessments:assessment-review          POST login 403   403   ok    404   ok    404   403
assessments:assessment-review-autosave GET  login 405   405   405   405   405   405   405
assessments:assessment-review-autosave POST login 403   403   ok    404   ok    404   403
assessments:assessment-finalize        GET  login 405   405   405   405   405   405   405
assessments:assessment-finalize        POST login 403   403   ok    404   ok    404   403
assessments:assessment-return          GET  login 405   405   405   405   405   405   405
assessments:assessment-return          POST login 403   403   ok    404   ok    404   403
assessments:assessment-history         GET  login ok    404   ok    404   ok    404   404

# Sharing the coaching notes of a finalized review (the one "self"'s former director wrote,
# tests/access_world.py) with the director now: the coordinator or an org admin; the
# director who inherited them may look but not share them with themself.
# URL name                                  anon  self  mate  dir   o.dir admin o.adm mentor
assessments:coaching-notes-share       GET  login 405   405   405   405   405   405   405
assessments:coaching-notes-share       POST login ok    404   403   404   ok    404   404
assessments:coaching-notes-unshare     GET  login 405   405   405   405   405   405   405
assessments:coaching-notes-unshare     POST login ok    404   403   404   ok    404   404

# Evidence. Adding and removing: the coordinator on their draft (their director and an org
# admin reach the assessment but may not change its evidence: 403; a draft's evidence is not
# theirs to see yet: 404). Downloading a file of the submitted assessment: whoever sees its
# self-assessment; another team's director, another organization and a mentor: 404. Adding
# to the check-in the director logged: its two people, the coordinator and its author (an org
# admin and the mentor see it but are not part of it: 403). A check-in's own attachments:
# CHECK_IN_EVIDENCE_ACCESS below.
# URL name                                  anon  self  mate  dir   o.dir admin o.adm mentor
evidence:attachment-add                GET  login 405   405   405   405   405   405   405
evidence:attachment-add                POST login ok    404   403   404   403   404   404
evidence:attachment-remove             GET  login 405   405   405   405   405   405   405
evidence:attachment-remove             POST login ok    404   404   404   404   404   404
evidence:attachment-download           GET  login ok    404   ok    404   ok    404   404
evidence:check-in-attachment-add       GET  login 405   405   405   405   405   405   405
evidence:check-in-attachment-add       POST login ok    404   ok    404   403   404   403
evidence:review-settings               GET  login 403   403   403   403   ok    ok    403
evidence:review-settings               POST login 403   403   403   403   ok    ok    403

# The principal's page opens with the emailed link's token, the same for everyone who holds
# it, signed in to any organization or not (it reads nothing of the session). Asking principals
# is for whoever reviews the assessment (the coordinator only where the organization allows).
# URL name                                  anon  self  mate  dir   o.dir admin o.adm mentor
assessments:principal-feedback         GET  ok    ok    ok    ok    ok    ok    ok    ok
assessments:principal-feedback         POST ok    ok    ok    ok    ok    ok    ok    ok
assessments:principal-feedback-settings GET login 403   403   403   403   ok    ok    403
assessments:principal-feedback-settings POST login 403  403   403   403   ok    ok    403
schoolsites:feedback-requests          GET  login 403   404   ok    404   ok    404   404
schoolsites:feedback-requests          POST login 403   404   ok    404   ok    404   404
schoolsites:feedback-request-resend    GET  login 405   405   405   405   405   405   405
schoolsites:feedback-request-resend    POST login 403   404   ok    404   ok    404   404
schoolsites:feedback-request-revoke    GET  login 405   405   405   405   405   405   405
schoolsites:feedback-request-revoke    POST login 403   404   ok    404   ok    404   404

# Flag thresholds.
# URL name                                  anon  self  mate  dir   o.dir admin o.adm mentor
dashboards:flag-thresholds            GET  login 403   403   403   403   ok    ok    403
dashboards:flag-thresholds            POST login 403   403   403   403   ok    ok    403
dashboards:flag-thresholds-reset      GET  login 405   405   405   405   405   405   405
dashboards:flag-thresholds-reset      POST login 403   403   403   403   ok    ok    403

# Growth: the mentor may look at the growth page but not change it. Goals and
# supports are set by the coordinator, their director or an admin; attaching a
# suggestion and recording a promotion is for those who direct.
# URL name                                  anon  self  mate  dir   o.dir admin o.adm mentor
growth:profile-growth                  GET  login ok    404   ok    404   ok    404   ok
growth:goal-create                     GET  login ok    404   ok    404   ok    404   403
growth:goal-create                     POST login ok    404   ok    404   ok    404   403
growth:support-create                  GET  login ok    404   ok    404   ok    404   403
growth:support-create                  POST login ok    404   ok    404   ok    404   403
growth:support-attach                  GET  login 405   405   405   405   405   405   405
growth:support-attach                  POST login 403   404   ok    404   ok    404   403
growth:promotion-create                GET  login 403   404   ok    404   ok    404   403
growth:promotion-create                POST login 403   404   ok    404   ok    404   403
growth:goal-update                     GET  login ok    404   ok    404   ok    404   403
growth:goal-update                     POST login ok    404   ok    404   ok    404   403
growth:goal-status                     GET  login 405   405   405   405   405   405   405
growth:goal-status                     POST login ok    404   ok    404   ok    404   403
growth:goal-delete                     GET  login 405   405   405   405   405   405   405
growth:goal-delete                     POST login ok    404   ok    404   ok    404   403
growth:support-update                  GET  login ok    404   ok    404   ok    404   403
growth:support-update                  POST login ok    404   ok    404   ok    404   403
growth:support-delete                  GET  login 405   405   405   405   405   405   405
growth:support-delete                  POST login ok    404   ok    404   ok    404   403
growth:mentee-list                     GET  login ok    ok    ok    ok    ok    ok    ok

# Check-ins: seen by whoever sees the growth plan; logged by the coordinator, their director
# or mentor, or an admin; edited by their author alone (the director here).
# URL name                                  anon  self  mate  dir   o.dir admin o.adm mentor
growth:check-in-list                   GET  login ok    404   ok    404   ok    404   ok
growth:check-in-create                 GET  login ok    404   ok    404   ok    404   ok
growth:check-in-create                 POST login ok    404   ok    404   ok    404   ok
growth:check-in-detail                 GET  login ok    404   ok    404   ok    404   ok
growth:check-in-update                 GET  login 403   404   ok    404   403   404   403
growth:check-in-update                 POST login 403   404   ok    404   403   404   403
growth:cadence-list                    GET  login 403   403   403   403   ok    ok    403
growth:cadence-update                  GET  login 405   405   405   405   405   405   405
growth:cadence-update                  POST login 403   403   403   403   ok    404   403
growth:coaching-actions                GET  login 403   403   403   403   ok    ok    403
growth:coaching-actions                POST login 403   403   403   403   ok    ok    403

# Mentoring: directors and admins see who needs a mentor and confirm matches for those they
# direct; the admin runs the programme; anyone with a role may offer to mentor.
# URL name                                  anon  self  mate  dir   o.dir admin o.adm mentor
growth:mentoring                       GET  login 403   403   ok    ok    ok    ok    403
growth:programme-update                GET  login 403   403   403   403   ok    ok    403
growth:programme-update                POST login 403   403   403   403   ok    ok    403
growth:mentor-offer                    GET  login 405   405   405   405   405   405   405
growth:mentor-offer                    POST login ok    ok    ok    ok    ok    ok    ok
growth:mentor-suggestions              GET  login 403   404   ok    404   ok    404   403
growth:match-create                    GET  login 405   405   405   405   405   405   405
growth:match-create                    POST login 403   404   ok    404   ok    404   403
growth:mentor-need                     GET  login 405   405   405   405   405   405   405
growth:mentor-need                     POST login 403   404   ok    404   ok    404   403
growth:match-end                       GET  login 405   405   405   405   405   405   405
growth:match-end                       POST login 403   404   ok    404   ok    404   403

# The org admin's career stages and support catalogue.
# URL name                                  anon  self  mate  dir   o.dir admin o.adm mentor
growth:stage-list                      GET  login 403   403   403   403   ok    ok    403
growth:stage-create                    GET  login 403   403   403   403   ok    ok    403
growth:stage-create                    POST login 403   403   403   403   ok    ok    403
growth:stage-update                    GET  login 403   403   403   403   ok    404   403
growth:stage-update                    POST login 403   403   403   403   ok    404   403
growth:stage-delete                    GET  login 405   405   405   405   405   405   405
growth:stage-delete                    POST login 403   403   403   403   ok    404   403
growth:catalogue-list                  GET  login 403   403   403   403   ok    ok    403
growth:catalogue-create                GET  login 403   403   403   403   ok    ok    403
growth:catalogue-create                POST login 403   403   403   403   ok    ok    403
growth:catalogue-update                GET  login 403   403   403   403   ok    404   403
growth:catalogue-update                POST login 403   403   403   403   ok    404   403
growth:catalogue-delete                GET  login 405   405   405   405   405   405   405
growth:catalogue-delete                POST login 403   403   403   403   ok    404   403
"""


# Coaching notes after a move. "self" used to be on o.dir's team: o.dir reviewed their 2029
# self-assessment, wrote the coaching notes and finalized it; then "self" moved to dir's
# team (tests/access_world.py). Each page that can show coaching notes, on that review,
# before and after "self" shares the notes with dir:
#
#   notes     the page shows the notes (the history: that they were written and changed)
#   kept      the page opens with the levels and next steps, without the notes
#   redirect  a redirect to another page of this table
#
# and the refusals of the table above. o.dir wrote the notes but no longer reaches the
# coordinator at all. No page outside this table shows coaching notes to anyone
# (``test_access`` checks every page of the table above before sharing,
# ``test_no_other_page_shows_shared_notes`` after it).
INHERITED_NOTES_ACCESS = """
# URL name                           shared anon  self  mate  dir      o.dir admin    o.adm mentor
assessments:assessment-detail        before login notes 404   redirect 404   redirect 404   404
assessments:assessment-detail        after  login notes 404   redirect 404   redirect 404   404
assessments:assessment-review        before login 403   403   kept     404   notes    404   403
assessments:assessment-review        after  login 403   403   notes    404   notes    404   403
assessments:assessment-history       before login notes 404   kept     404   notes    404   404
assessments:assessment-history       after  login notes 404   notes    404   notes    404   404
"""
NOTES_OUTCOMES = {"notes", "kept", "redirect", "login", "403", "404"}

# The attachments of check-ins, through the download and remove URLs of every attachment: the
# director's link on the check-in they logged with the coordinator ("check_in_link"), and
# their link on a check-in of the teammate, whom the mentor does not mentor
# ("teammate_check_in_link"). Whoever sees the check-in opens its files (a mentor only their
# mentee's); another team's director and another organization: 404; only the person who
# added one removes it (the coordinator, the admin and the mentor see it: 403).
CHECK_IN_EVIDENCE_ACCESS = """
# URL name (evidence:)   attachment             anon  self  mate  dir   o.dir admin o.adm mentor
attachment-download GET  check_in_link          login ok    404   ok    404   ok    404   ok
attachment-download GET  teammate_check_in_link login 404   ok    ok    404   ok    404   404
attachment-remove   POST check_in_link          login 403   404   ok    404   403   404   403
"""
# What only a reader of the notes sees: the text itself, or in the history that it changed.
NOTES_SHOWN = (INHERITED_NOTES, "updated the coaching notes")


def parse(text: str) -> dict[str, dict[str, dict[str, str]]]:
    """URL name → method → actor → outcome, from the table above."""
    table: dict[str, dict[str, dict[str, str]]] = {}
    for line in text.splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        name, method, *outcomes = line.split()
        assert method in (GET, POST), line
        assert len(outcomes) == len(ACTORS), f"a row needs {len(ACTORS)} outcomes: {line}"
        assert set(outcomes) <= OUTCOMES, line
        assert method not in table.get(name, {}), f"two rows for {method} {name}"
        table.setdefault(name, {})[method] = dict(zip(ACTORS, outcomes, strict=True))
    return table


TABLE = parse(ACCESS)


def parse_notes(text: str) -> dict[tuple[str, str], dict[str, str]]:
    """(URL name, before/after sharing) → actor → outcome, from the inherited-notes table."""
    table = {}
    for line in text.splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        name, shared, *outcomes = line.split()
        assert shared in ("before", "after"), line
        assert len(outcomes) == len(ACTORS), f"a row needs {len(ACTORS)} outcomes: {line}"
        assert set(outcomes) <= NOTES_OUTCOMES, line
        assert (name, shared) not in table, f"two rows for {name} {shared} sharing"
        table[(name, shared)] = dict(zip(ACTORS, outcomes, strict=True))
    return table


NOTES_TABLE = parse_notes(INHERITED_NOTES_ACCESS)
PAGES_WITH_NOTES = {name for name, _shared in NOTES_TABLE}


def shows_notes(response) -> bool:
    """The response carries the notes: a page, a CSV (also streamed, as export files are), or
    inside a spreadsheet's archive."""
    if response.streaming:
        content = b"".join(response.streaming_content)
    else:
        content = response.content
    if response.get("Content-Type", "").startswith("application/vnd.openxmlformats"):
        with zipfile.ZipFile(io.BytesIO(content)) as archive:
            content = b"".join(archive.read(member) for member in archive.namelist())
    content = content.decode(errors="replace")
    return any(marker in content for marker in NOTES_SHOWN)


def notes_outcome(response) -> str:
    got = outcome(response)
    if response.status_code == 302 and got == "ok":
        return "redirect"
    if got == "ok":
        return "notes" if shows_notes(response) else "kept"
    return got


def send(world, name, method, actor, kwargs=None):
    case = CASES[name]
    with override_settings(**case.settings), rolled_back():
        client = client_for(world.users[actor])
        url = url_of(world, name, kwargs=kwargs)
        if method == GET:
            return client.get(url)
        return client.post(url, case.post(world, actor, client))


def test_every_url_pattern_has_a_row():
    names = {name for name, _route in url_names()}
    missing = sorted(names - set(TABLE))
    assert not missing, "URL patterns without a row in the access table: " + ", ".join(missing)
    stale = sorted(set(TABLE) - names)
    assert not stale, "Rows for URL names that no longer exist: " + ", ".join(stale)
    without_request = sorted(names - set(CASES))
    assert not without_request, "No request in tests/<app>/url_cases.py for: " + ", ".join(
        without_request
    )
    for name, row in TABLE.items():
        if POST in row:
            assert CASES[name].post is not None, f"{name}: a POST row needs a POST body"


CELLS = [(name, method) for name, row in TABLE.items() for method in row]


@pytest.mark.parametrize(("name", "method"), CELLS, ids=[f"{m} {n}" for n, m in CELLS])
def test_access(db, world, name, method):
    want = TABLE[name][method]
    problems = []
    for actor in ACTORS:
        response = send(world, name, method, actor)
        got = outcome(response)
        if got != want[actor]:
            where = response.get("Location", "")
            problems.append(f"{actor}: expected {want[actor]}, got {got} {where}".rstrip())
        elif method == POST and got == "ok" and form_errors(response):
            problems.append(f"{actor}: the POST body was refused: {form_errors(response)}")
        elif method == POST and got == "ok" and error_messages(response):
            problems.append(f"{actor}: the action was refused: {error_messages(response)}")
        if method == GET and name not in PAGES_WITH_NOTES and shows_notes(response):
            problems.append(f"{actor}: the page shows coaching notes (a row of the notes table?)")
    kwargs = CASES[name].kwargs(world)
    ids = {key: UNKNOWN_ID for key, value in kwargs.items() if isinstance(value, int)}
    if ids:
        for actor in BLIND:
            if want[actor] not in ("403", "404"):
                continue
            got = outcome(send(world, name, method, actor, kwargs={**kwargs, **ids}))
            if got != want[actor]:
                problems.append(
                    f"{actor}: {want[actor]} for a real id but {got} for an unknown one, "
                    "which tells whether the id exists"
                )
    assert not problems, f"{method} {name}:\n  " + "\n  ".join(problems)


def parse_check_in_evidence(text: str) -> list[tuple[str, str, str, dict[str, str]]]:
    rows = []
    for line in text.splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        name, method, attachment, *outcomes = line.split()
        assert method in (GET, POST), line
        assert len(outcomes) == len(ACTORS), f"a row needs {len(ACTORS)} outcomes: {line}"
        assert set(outcomes) <= OUTCOMES, line
        want = dict(zip(ACTORS, outcomes, strict=True))
        rows.append((f"evidence:{name}", method, attachment, want))
    return rows


CHECK_IN_EVIDENCE = parse_check_in_evidence(CHECK_IN_EVIDENCE_ACCESS)


@pytest.mark.parametrize(
    ("name", "method", "attachment", "want"),
    CHECK_IN_EVIDENCE,
    ids=[f"{m} {n} {a}" for n, m, a, _w in CHECK_IN_EVIDENCE],
)
def test_check_in_evidence(db, world, name, method, attachment, want):
    problems = []
    for actor in ACTORS:
        with rolled_back():
            client = client_for(world.users[actor])
            row = getattr(world.mine, attachment)
            url = reverse(name, args=[row.pk])
            if method == GET:
                response = client.get(url)
            else:
                version = type(row.check_in)._base_manager.get(pk=row.check_in_id).version
                response = client.post(url, {"version": version})
        got = outcome(response)
        if got == "ok" and method == POST and error_messages(response):
            got = f"refused ({error_messages(response)})"
        if got != want[actor]:
            problems.append(f"{actor}: expected {want[actor]}, got {got}")
    assert not problems, f"{method} {name} {attachment}:\n  " + "\n  ".join(problems)


NOTES_CELLS = list(NOTES_TABLE)


@pytest.mark.parametrize(
    ("name", "shared"), NOTES_CELLS, ids=[f"{n} {s} sharing" for n, s in NOTES_CELLS]
)
def test_inherited_coaching_notes(db, world, name, shared):
    want = NOTES_TABLE[(name, shared)]
    kwargs = {"pk": world.mine.inherited.pk}
    problems = []
    for actor in ACTORS:
        with rolled_back():
            if shared == "after":
                share_with_the_director(world)
            response = client_for(world.users[actor]).get(url_of(world, name, kwargs=kwargs))
            got = notes_outcome(response)
        if got != want[actor]:
            problems.append(f"{actor}: expected {want[actor]}, got {got}")
    assert not problems, f"{name}, {shared} sharing:\n  " + "\n  ".join(problems)


def test_no_other_page_shows_shared_notes(db, world):
    """Sharing lets the director read the notes on the review and its history, nowhere else
    (before sharing, ``test_access`` checks every page for everyone)."""
    pages = sorted(
        name for name, row in TABLE.items() if GET in row and name not in PAGES_WITH_NOTES
    )
    shown = []
    for name in pages:
        with override_settings(**CASES[name].settings), rolled_back():
            share_with_the_director(world)
            response = client_for(world.users["director"]).get(url_of(world, name))
            if shows_notes(response):
                shown.append(name)
    assert not shown, "Pages showing the shared coaching notes: " + ", ".join(shown)


@pytest.mark.parametrize("actor", [*ACTORS, "superuser"])
def test_django_admin_is_for_superusers_only(db, world, actor):
    """The Django admin (the one namespace outside the table): its login page for everyone
    signed in but a superuser; a login page for anonymous visitors."""
    admin_login = reverse("admin:login")
    for url in (reverse("admin:index"), reverse("admin:coordinators_user_changelist")):
        with rolled_back():
            response = client_for(world.users[actor]).get(url)
        if actor == "superuser":
            assert response.status_code == 200, url
        elif actor == "anon":
            assert "login" in (outcome(response), outcome(response, login_url=admin_login)), url
        else:
            assert response.status_code == 302, url
            assert response["Location"].startswith(admin_login), url
