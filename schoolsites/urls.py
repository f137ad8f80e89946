from django.urls import path

from schoolsites.views import agreements, feedback_requests, public

app_name = "schoolsites"

# A school's principal contact per school year, and its partnership agreements
# (schoolsites/views/agreements.py).
urlpatterns = [
    path(
        "sites/<int:pk>/principal/<int:year>/",
        agreements.PrincipalContactView.as_view(),
        name="principal-contact",
    ),
    path(
        "sites/<int:pk>/agreements/new/<int:year>/",
        agreements.AgreementCreateView.as_view(),
        name="agreement-create",
    ),
    path("agreements/<int:pk>/", agreements.agreement_detail, name="agreement-detail"),
    path(
        "agreements/<int:pk>/edit/",
        agreements.AgreementUpdateView.as_view(),
        name="agreement-update",
    ),
    path(
        "agreements/<int:pk>/review/",
        agreements.AgreementReviewView.as_view(),
        name="agreement-review",
    ),
    path("agreements/<int:pk>/share/", agreements.agreement_share_view, name="agreement-share"),
    path("agreements/<int:pk>/sign/", agreements.agreement_sign_view, name="agreement-sign"),
    path("agreements/<int:pk>/print/", agreements.agreement_print, name="agreement-print"),
]

# The principal's signature through the emailed link, without an account
# (schoolsites/views/public.py).
urlpatterns += [
    path("agreements/sign/<str:token>/", public.agreement_sign_link, name="agreement-sign-link"),
]

# Asking principals for their view of the School site (schoolsites/views/feedback_requests.py).
urlpatterns += [
    path(
        "assessments/<int:pk>/principal-feedback/",
        feedback_requests.feedback_requests,
        name="feedback-requests",
    ),
    path(
        "principal-feedback/<int:pk>/resend/",
        feedback_requests.feedback_request_resend,
        name="feedback-request-resend",
    ),
    path(
        "principal-feedback/<int:pk>/revoke/",
        feedback_requests.feedback_request_revoke,
        name="feedback-request-revoke",
    ),
]
