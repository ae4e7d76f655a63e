"""The one error an import raises for a file it cannot read: the message is for the user."""

from vprplan.importing import ImportRejected


class ImportFileError(ImportRejected):
    """The file is not a plan we can read (wrong type, damaged, protected, no plan table…).

    `str(error)` is a Russian sentence that says what is wrong and what to do about it.
    """
