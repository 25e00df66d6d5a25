"""The message catalogs (plots/catalogs/*.po): each compiles under msgfmt --check, both languages
have the same message ids and the same {named} placeholders in each, the code asks only for
messages that exist, and a missing message is an error, not its id printed."""
import os
import re
import subprocess
import unittest

from plots import catalog

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
PLACEHOLDER = re.compile(r"\{(\w*)[^{}]*\}")


class Catalogs(unittest.TestCase):
    def test_every_catalog_passes_msgfmt_check(self):
        for lang in catalog.LANGUAGES:
            r = subprocess.run(
                ["msgfmt", "--check", "-o", os.devnull, catalog.path(lang)], capture_output=True, text=True
            )
            self.assertEqual(r.returncode, 0, f"{lang}: {r.stderr}")
            self.assertNotIn("warning", r.stderr, lang)

    def test_both_languages_have_the_same_ids_and_placeholders(self):
        en, zh = catalog.entries("en"), catalog.entries("zh")
        self.assertGreater(len(en), 100)
        self.assertEqual(sorted(set(en) - set(zh)), [], "only in English")
        self.assertEqual(sorted(set(zh) - set(en)), [], "only in Chinese")
        for message_id, text in en.items():
            self.assertEqual(set(PLACEHOLDER.findall(text)), set(PLACEHOLDER.findall(zh[message_id])), message_id)

    def test_gettext_reads_what_the_files_say(self):
        for lang in catalog.LANGUAGES:
            messages = catalog.messages(lang)
            for message_id, text in catalog.entries(lang).items():
                self.assertEqual(messages[message_id], text, f"{lang}: {message_id}")

    def test_a_missing_message_is_an_error(self):
        messages = catalog.messages("zh")
        self.assertNotIn("no_such_message", messages)
        with self.assertRaisesRegex(KeyError, "no message 'no_such_message' in the zh catalog"):
            messages["no_such_message"]
        with self.assertRaisesRegex(catalog.CatalogError, "no catalog for language 'fr'"):
            catalog.messages("fr")

    def test_every_literal_message_id_in_the_code_is_in_the_catalogs(self):
        # L["id"] in plots/: each literal id the report asks for exists (ids built at run time, such
        # as "section_" + id, are checked by the report tests on the fixture).
        asked = set()
        for name in os.listdir(os.path.join(ROOT, "plots")):
            if name.endswith(".py"):
                with open(os.path.join(ROOT, "plots", name), encoding="utf-8") as f:
                    asked |= set(re.findall(r'\bL\["(\w+)"\]', f.read()))
        self.assertGreater(len(asked), 50)
        self.assertEqual(sorted(asked - set(catalog.entries("en"))), [])


if __name__ == "__main__":
    unittest.main()
