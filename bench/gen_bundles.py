#!/usr/bin/env python3
"""Writes Synthea-like patient transaction Bundles for the ingest benchmark.

Each bundle holds one patient's record as POST entries with urn:uuid fullUrls:
Patient, Encounters, Conditions, Observations (vital signs and labs),
Procedures, MedicationRequests, Immunizations, all referencing the patient and
their encounter by urn:uuid, as Synthea's output does. Deterministic for a seed.

usage: gen_bundles.py OUT_DIR [--bundles N] [--seed S]
Prints the total number of resources.
"""
import argparse
import json
import os
import random
import uuid

FAMILY = ["Lò", "Lường", "Quàng", "Cầm", "Giàng", "Vàng", "Sùng", "Nguyễn", "Trần", "Lê"]
GIVEN = ["Văn Ơn", "Thị Hoa", "A Dính", "Thị Mỷ", "Văn Minh", "Thị Lan", "Văn Hùng"]
VITALS = [("8867-4", "Heart rate", "/min", 60, 110), ("8310-5", "Body temperature", "Cel", 36, 39),
          ("29463-7", "Body weight", "kg", 8, 90), ("8302-2", "Body height", "cm", 60, 185),
          ("9279-1", "Respiratory rate", "/min", 12, 28)]
LABS = [("2339-0", "Glucose", "mg/dL", 70, 200), ("718-7", "Hemoglobin", "g/dL", 9, 17),
        ("2160-0", "Creatinine", "mg/dL", 0.5, 1.6), ("6690-2", "Leukocytes", "10*3/uL", 3, 14)]
ICD = [("J06.9", "Nhiễm trùng hô hấp trên cấp"), ("I10", "Tăng huyết áp vô căn"),
       ("E11.9", "Đái tháo đường type 2"), ("K29.7", "Viêm dạ dày"), ("A09", "Tiêu chảy")]
DRUGS = [("Paracetamol 500mg", "161"), ("Amoxicillin 500mg", "723"), ("Metformin 500mg", "6809"),
         ("Amlodipine 5mg", "17767"), ("Omeprazole 20mg", "7646")]


def ref(u):
    return {"reference": "urn:uuid:" + u}


def quantity(rng, lo, hi, unit):
    return {"value": round(rng.uniform(lo, hi), 1), "unit": unit, "system": "http://unitsofmeasure.org", "code": unit}


def bundle(rng, n):
    entries = []

    def add(resource):
        u = str(uuid.UUID(int=rng.getrandbits(128), version=4))
        entries.append({"fullUrl": "urn:uuid:" + u, "resource": resource,
                        "request": {"method": "POST", "url": resource["resourceType"]}})
        return u

    male = rng.random() < 0.5
    pid = add({"resourceType": "Patient",
               "identifier": [{"system": "https://fhir.healthbook.vn/sid/cccd", "value": "011%09d" % (rng.getrandbits(29) % 10**9)}],
               "name": [{"family": rng.choice(FAMILY), "given": rng.choice(GIVEN).split()}],
               "gender": "male" if male else "female",
               "birthDate": "%04d-%02d-%02d" % (rng.randint(1940, 2024), rng.randint(1, 12), rng.randint(1, 28)),
               "address": [{"text": "Bản Him Lam, Điện Biên Phủ", "country": "VN"}]})
    for e in range(rng.randint(4, 8)):
        day = "2025-%02d-%02d" % (rng.randint(1, 12), rng.randint(1, 28))
        eid = add({"resourceType": "Encounter", "status": "finished",
                   "class": {"system": "http://terminology.hl7.org/CodeSystem/v3-ActCode", "code": "AMB"},
                   "subject": ref(pid), "period": {"start": day + "T08:00:00+07:00", "end": day + "T08:30:00+07:00"}})
        code, display = rng.choice(ICD)
        add({"resourceType": "Condition", "subject": ref(pid), "encounter": ref(eid),
             "code": {"coding": [{"system": "http://hl7.org/fhir/sid/icd-10", "code": code, "display": display}]},
             "recordedDate": day})
        for loinc, name, unit, lo, hi in rng.sample(VITALS, 3) + rng.sample(LABS, 2):
            add({"resourceType": "Observation", "status": "final",
                 "category": [{"coding": [{"system": "http://terminology.hl7.org/CodeSystem/observation-category", "code": "vital-signs"}]}],
                 "code": {"coding": [{"system": "http://loinc.org", "code": loinc, "display": name}]},
                 "subject": ref(pid), "encounter": ref(eid), "effectiveDateTime": day + "T08:10:00+07:00",
                 "valueQuantity": quantity(rng, lo, hi, unit)})
        if rng.random() < 0.6:
            drug, rx = rng.choice(DRUGS)
            add({"resourceType": "MedicationRequest", "status": "active", "intent": "order",
                 "medicationCodeableConcept": {"coding": [{"system": "http://www.nlm.nih.gov/research/umls/rxnorm", "code": rx, "display": drug}]},
                 "subject": ref(pid), "encounter": ref(eid), "authoredOn": day,
                 "dosageInstruction": [{"text": "Uống 1 viên x 2 lần/ngày sau ăn"}]})
        if rng.random() < 0.3:
            add({"resourceType": "Procedure", "status": "completed", "subject": ref(pid), "encounter": ref(eid),
                 "code": {"text": "Đo điện tim"}, "performedDateTime": day + "T08:20:00+07:00"})
    if rng.random() < 0.5:
        add({"resourceType": "Immunization", "status": "completed", "patient": ref(pid),
             "vaccineCode": {"coding": [{"system": "http://hl7.org/fhir/sid/cvx", "code": "08", "display": "Hep B"}]},
             "occurrenceDateTime": "2020-05-01"})
    return {"resourceType": "Bundle", "type": "transaction", "entry": entries}


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("out")
    ap.add_argument("--bundles", type=int, default=200)
    ap.add_argument("--seed", type=int, default=1)
    a = ap.parse_args()
    os.makedirs(a.out, exist_ok=True)
    rng = random.Random(a.seed)
    total = 0
    for i in range(a.bundles):
        b = bundle(rng, i)
        total += len(b["entry"])
        with open(os.path.join(a.out, "bundle-%05d.json" % i), "w", encoding="utf-8") as f:
            json.dump(b, f, ensure_ascii=False, separators=(",", ":"))
    print(total)


if __name__ == "__main__":
    main()
