"""Accounts managed over the API: /admin/accounts (who may, what is audited)."""
import unittest

from harness import ServerTestCase


class AdminAccountsTest(ServerTestCase):
    def admin_client(self, *args):
        return self.server.client(token=self.server.mint_token("user/*.rs", *args))

    def test_operator_creates_a_user_who_can_then_sign_in(self):
        r = self.c.post("/admin/accounts", {"name": "bs.hoa", "role": "doctor", "facility": "11001",
                                            "display": "Bác sĩ Hoa"}, content_type="application/json")
        self.assertStatus(r, 201)
        password = r.json["password"]
        self.assertGreaterEqual(len(password), 12)
        login = self.server.client(token="")
        r = login.post("/auth/login", {"username": "bs.hoa", "password": password},
                       content_type="application/json")
        self.assertStatus(r, 200)
        self.assertIn("hb_session=", r.headers.get("Set-Cookie", ""))
        self.assertIn("HttpOnly", r.headers.get("Set-Cookie", ""))
        self.assertIn("SameSite=Strict", r.headers.get("Set-Cookie", ""))
        names = [a["name"] for a in self.c.get("/admin/accounts").json]
        self.assertIn("bs.hoa", names)

    def test_weak_password_and_unknown_role_are_refused(self):
        r = self.c.post("/admin/accounts", {"name": "x1", "role": "doctor", "password": "short"},
                        content_type="application/json")
        self.assertStatus(r, 400, 422)
        r = self.c.post("/admin/accounts", {"name": "x2", "role": "wizard"},
                        content_type="application/json")
        self.assertStatus(r, 400)

    def test_facility_admin_manages_only_their_facility(self):
        self.assertStatus(self.c.post("/admin/accounts", {"name": "qt.a", "role": "facility-admin",
                                                          "facility": "11001"},
                                      content_type="application/json"), 201)
        fa = self.admin_client("--user", "qt.a")
        r = fa.post("/admin/accounts", {"name": "dd.a", "role": "nurse", "facility": "11001"},
                    content_type="application/json")
        self.assertStatus(r, 201)
        r = fa.post("/admin/accounts", {"name": "dd.b", "role": "nurse", "facility": "11002"},
                    content_type="application/json")
        self.assertStatus(r, 403)
        r = fa.post("/admin/accounts", {"name": "sys2", "role": "system-admin", "facility": "11001"},
                    content_type="application/json")
        self.assertStatus(r, 403)
        self.assertNotIn("dd.b", [a["name"] for a in self.c.get("/admin/accounts").json])

    def test_disabling_an_account_stops_its_sign_in(self):
        r = self.c.post("/admin/accounts", {"name": "tn.c", "role": "cashier", "facility": "11001"},
                        content_type="application/json")
        self.assertStatus(r, 201)
        password = r.json["password"]
        self.assertStatus(self.c.post("/admin/accounts/tn.c/disable", {},
                                      content_type="application/json"), 200)
        login = self.server.client(token="")
        r = login.post("/auth/login", {"username": "tn.c", "password": password},
                       content_type="application/json")
        self.assertStatus(r, 401)
        self.assertStatus(self.c.post("/admin/accounts/tn.c/enable", {},
                                      content_type="application/json"), 200)
        r = login.post("/auth/login", {"username": "tn.c", "password": password},
                       content_type="application/json")
        self.assertStatus(r, 200)

    def test_clinical_staff_cannot_manage_accounts(self):
        self.assertStatus(self.c.post("/admin/accounts", {"name": "bs.d", "role": "doctor",
                                                          "facility": "11001"},
                                      content_type="application/json"), 201)
        doctor = self.server.client(token=self.server.mint_token("user/*.cruds", "--user", "bs.d"))
        self.assertStatus(doctor.get("/admin/accounts"), 403)
        self.assertStatus(doctor.post("/admin/accounts", {"name": "bs.e", "role": "doctor"},
                                      content_type="application/json"), 403)
        self.assertStatus(self.server.client(token="").get("/admin/accounts"), 401)


if __name__ == "__main__":
    unittest.main()
