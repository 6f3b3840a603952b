from django import forms
from django.utils.translation import gettext_lazy as _

from ..models import Area

# Most countries' GeoNames postal-code files are smaller (and requests are capped at
# OUTWARD_MAX_REQUEST_MB); a larger file goes in with `outward locate_directory --centroids`.
CENTROID_MAX_BYTES = 5 * 1024 * 1024


class AreaForm(forms.ModelForm):
    latitude = forms.FloatField(
        label=_("Latitude of its middle"),
        min_value=-90,
        max_value=90,
        help_text=_(
            "For measuring distance: on most online maps, right-click the middle of the area "
            "and copy the two numbers shown (latitude first, e.g. 51.5072)."
        ),
    )
    longitude = forms.FloatField(label=_("Longitude of its middle"), min_value=-180, max_value=180)
    postcodes = forms.CharField(
        label=_("Postcodes it covers"),
        required=False,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=Area._meta.get_field("postcodes").help_text,
    )
    places = forms.CharField(
        label=_("Towns, suburbs and places it covers"),
        required=False,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=Area._meta.get_field("places").help_text,
    )

    class Meta:
        model = Area
        fields = ["name", "latitude", "longitude", "postcodes", "places"]

    def __init__(self, *args, practice, **kwargs):
        super().__init__(*args, **kwargs)
        self.instance.practice = practice

    def clean_name(self):
        name = self.cleaned_data["name"].strip()
        taken = Area.objects.filter(practice=self.instance.practice, name__iexact=name)
        if self.instance.pk:
            taken = taken.exclude(pk=self.instance.pk)
        if taken.exists():
            raise forms.ValidationError(_("The practice has an area of this name already."))
        return name


class CentroidFileForm(forms.Form):
    file = forms.FileField(
        label=_("Postcode or place file"),
        help_text=_(
            "A CSV of a code or name, a latitude and a longitude on each line, or a GeoNames "
            "postal-code file (.txt, tab-separated). At most 5 MB; it replaces the one "
            "loaded before."
        ),
        widget=forms.FileInput(attrs={"accept": ".csv,.txt,.tsv,text/csv,text/plain"}),
        error_messages={"required": _("Choose a file."), "empty": _("The file is empty.")},
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > CENTROID_MAX_BYTES:
            raise forms.ValidationError(
                _(
                    "The file is larger than 5 MB. Ask whoever runs Outward to load it with "
                    "the command “outward locate_directory --centroids”."
                )
            )
        return upload
