"""The roster upload form: the file is read here, so a bad file is a form error."""

from django import forms

from growthmatrix.roster.reading import MAX_BYTES, ImportFileError, roster_read


class RosterUploadForm(forms.Form):
    file = forms.FileField(
        label="Roster file",
        help_text=f"CSV (UTF-8) or Excel .xlsx, up to {MAX_BYTES // 1024 // 1024} MB.",
        widget=forms.ClearableFileInput(attrs={"accept": ".csv,.xlsx"}),
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        try:
            self.cleaned_data["tables"] = roster_read(upload)
        except ImportFileError as error:
            raise forms.ValidationError(str(error)) from error
        return upload
