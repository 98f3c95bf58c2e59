// RewindDialog: the epochs a stored run can be rewound to (RunStore::epochStates), each with its
// training and validation loss and accuracy; the chosen one is where a branch starts. Reads the
// store on opening (a few small queries); a store that cannot be read leaves the list empty with
// the reason shown.
#pragma once

#include <QDialog>

class QLabel;
class QPushButton;
class QTableWidget;

namespace neurite {

class RewindDialog : public QDialog {
    Q_OBJECT
public:
    RewindDialog(const QString& storePath, qint64 runId, QWidget* parent = nullptr);

    int epoch() const;  // the chosen epoch, 0 when none can be chosen
    bool hasEpochs() const;
    QTableWidget* table() const { return m_table; }
    QPushButton* branchButton() const { return m_branch; }
    QString message() const;  // the text above the list

private:
    void updateButton();

    QLabel* m_text;
    QTableWidget* m_table;
    QPushButton* m_branch;
};

}  // namespace neurite
