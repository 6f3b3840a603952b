"""Link the audit events written before the hash chain existed, in id order per practice, and
record each chain's head. The reverse forgets the links (the columns stay, empty)."""

from django.db import migrations

from outward.lib.hashchain import GENESIS, canonical_ip, link_hash

# As AuditEvent.CHAIN_FIELDS when this migration was written.
FIELDS = ("practice_id", "client_id", "actor_id", "action", "target", "ip", "created")


def chain(apps, schema_editor):
    AuditEvent = apps.get_model("care", "AuditEvent")
    ChainHead = apps.get_model("care", "ChainHead")
    heads: dict[int, tuple[int, str]] = {}
    batch = []
    for event in AuditEvent.objects.order_by("pk").iterator(chunk_size=2000):
        prev_hash = heads.get(event.practice_id, (None, GENESIS))[1]
        fields = {name: getattr(event, name) for name in FIELDS}
        fields["ip"] = canonical_ip(fields["ip"])
        event.prev_hash = prev_hash
        event.hash = link_hash(prev_hash=prev_hash, fields=fields)
        heads[event.practice_id] = (event.pk, event.hash)
        batch.append(event)
        if len(batch) >= 2000:
            AuditEvent.objects.bulk_update(batch, ["prev_hash", "hash"])
            batch = []
    AuditEvent.objects.bulk_update(batch, ["prev_hash", "hash"])
    for practice_id, (last_id, last_hash) in heads.items():
        ChainHead.objects.update_or_create(
            name=f"audit:{practice_id}", defaults={"last_id": last_id, "last_hash": last_hash}
        )


def unchain(apps, schema_editor):
    AuditEvent = apps.get_model("care", "AuditEvent")
    ChainHead = apps.get_model("care", "ChainHead")
    AuditEvent.objects.update(prev_hash=None, hash=None)
    ChainHead.objects.filter(name__startswith="audit:").delete()


class Migration(migrations.Migration):
    dependencies = [
        ("care", "0004_audit_event_hash_chain"),
    ]

    operations = [migrations.RunPython(chain, unchain)]
