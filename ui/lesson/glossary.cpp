#include "glossary.h"

#include <QDialog>
#include <QHBoxLayout>
#include <QLineEdit>
#include <QListWidget>
#include <QPointer>
#include <QTextBrowser>
#include <QVBoxLayout>

namespace neurite {

const std::vector<GlossaryEntry>& glossary() {
    static const std::vector<GlossaryEntry> entries = [] {
        std::vector<GlossaryEntry> e = {
            {QObject::tr("Accuracy"), QObject::tr("The share of samples whose most probable class is the right one. With imbalanced classes it misleads: always answering the big class already scores high.")},
            {QObject::tr("Activation"), QObject::tr("The function a layer applies to each value after its weighted sum (ReLU, tanh, sigmoid). Without it, any stack of layers is just one linear function.")},
            {QObject::tr("AUC"), QObject::tr("The area under the ROC curve: the chance that a random positive sample scores higher than a random negative one. 0.5 is guessing, 1 is perfect.")},
            {QObject::tr("Batch"), QObject::tr("The samples one training step looks at together. Larger batches give a steadier gradient per step; smaller ones take more, noisier steps per epoch.")},
            {QObject::tr("Batch normalization"), QObject::tr("A layer that rescales each channel to mean 0 and variance 1 over the batch while training (and with running averages afterwards), which lets deeper networks train faster.")},
            {QObject::tr("Bias"), QObject::tr("The number a unit adds to its weighted sum: it moves the unit's boundary away from the origin.")},
            {QObject::tr("Class imbalance"), QObject::tr("One class has far more samples than another. The model then learns to favour it; class weights, resampling or SMOTE push back.")},
            {QObject::tr("Class weights"), QObject::tr("Multiply each sample's loss by a weight for its class (balanced: rarer classes weigh more), so mistakes on a rare class cost as much in total as on a common one.")},
            {QObject::tr("Confusion matrix"), QObject::tr("A table of true class (rows) against predicted class (columns): the diagonal holds the right answers, everything else shows which classes are mistaken for which.")},
            {QObject::tr("Convolution"), QObject::tr("A layer that slides small learned kernels over an image; each output value is the sum of a kernel times the patch under it, so the same pattern is found anywhere.")},
            {QObject::tr("Decision map"), QObject::tr("For data with two features: the class the model predicts at every point of the plane, so you see its boundary next to the training points.")},
            {QObject::tr("Derived features"), QObject::tr("New inputs computed from x and y (x², y², xy, sin x, sin y). With x² + y² a single neuron separates a circle; with xy it separates XOR.")},
            {QObject::tr("Dropout"), QObject::tr("During training, randomly zero a fraction of a layer's values, so the network cannot rely on any single unit. It reduces overfitting; it does nothing at prediction time.")},
            {QObject::tr("Early stopping"), QObject::tr("Stop training when the validation loss has not improved for a number of epochs (the patience), and keep the best epoch's weights.")},
            {QObject::tr("Epoch"), QObject::tr("One pass over all training samples. A run is a number of epochs.")},
            {QObject::tr("Feature"), QObject::tr("One input value of a sample: a column of a table, a pixel of an image, x or y of a point.")},
            {QObject::tr("Feature map"), QObject::tr("The output of one convolution kernel over the whole image: bright where the kernel's pattern is found.")},
            {QObject::tr("Gradient"), QObject::tr("How much the loss changes when each weight changes a little. Training moves every weight a small step against its gradient.")},
            {QObject::tr("Hidden layer"), QObject::tr("A layer between the input and the output. A network without one can only draw straight boundaries.")},
            {QObject::tr("Initialization"), QObject::tr("The random weights a network starts from, drawn from the seed. The same seed gives the same start, which is what Reset returns to.")},
            {QObject::tr("Kernel"), QObject::tr("The small grid of weights a convolution slides over its input (3x3, 5x5).")},
            {QObject::tr("L2 regularization"), QObject::tr("Adds the sum of the squared weights (times a factor) to the loss, which keeps weights small and the model simpler, against overfitting.")},
            {QObject::tr("Learning rate"), QObject::tr("How big a step each update takes. Too low and training crawls; too high and the loss jumps around or explodes.")},
            {QObject::tr("Loss"), QObject::tr("The number training makes smaller: how wrong the model is on a batch (cross-entropy for classes, squared error for numbers). Lower is better.")},
            {QObject::tr("Neuron (unit)"), QObject::tr("One output of a layer: a weighted sum of the layer's inputs plus a bias, passed through the activation.")},
            {QObject::tr("Overfitting"), QObject::tr("The model learns the training samples, noise included, instead of the pattern: training loss keeps falling while validation loss rises.")},
            {QObject::tr("Precision and recall"), QObject::tr("Precision: of the samples called positive, how many are. Recall: of the positive samples, how many were found.")},
            {QObject::tr("Residual connection"), QObject::tr("A shortcut that adds a block's input to its output (Add), so deep networks can pass signal and gradient through unchanged where a block has nothing to add.")},
            {QObject::tr("ROC curve"), QObject::tr("The true-positive rate against the false-positive rate as the decision threshold moves from strict to lenient; the closer to the top-left corner, the better.")},
            {QObject::tr("Seed"), QObject::tr("The number the random choices are drawn from (initial weights, shuffling, splits). The same seed repeats a run exactly.")},
            {QObject::tr("SMOTE"), QObject::tr("Adds synthetic samples of a rare class between each rare sample and its nearest rare neighbours, so the classes are balanced without copying samples.")},
            {QObject::tr("Step"), QObject::tr("One update of the weights from one batch: forward pass, loss, gradients, and the optimizer's move.")},
            {QObject::tr("Test split"), QObject::tr("Samples kept apart until the end and used once to measure the final model: the honest estimate of how it does on new data.")},
            {QObject::tr("Training split"), QObject::tr("The samples the model learns from.")},
            {QObject::tr("Underfitting"), QObject::tr("The model is too simple or trained too little: both training and validation loss stay high.")},
            {QObject::tr("Validation split"), QObject::tr("Samples held out from training and checked after every epoch, to see overfitting and to choose settings without touching the test split.")},
            {QObject::tr("Weight"), QObject::tr("A number a unit multiplies one of its inputs by. Training is the search for good weights.")},
        };
        return e;
    }();
    return entries;
}

void showGlossary(QWidget* parent, const QString& term) {
    static QPointer<QDialog> open;
    if (!open || open->parentWidget() != parent) {
        auto* dialog = new QDialog(parent);
        dialog->setObjectName(QStringLiteral("glossaryDialog"));
        dialog->setWindowTitle(QObject::tr("Glossary"));
        dialog->setAttribute(Qt::WA_DeleteOnClose);
        auto* filter = new QLineEdit(dialog);
        filter->setPlaceholderText(QObject::tr("Find a word"));
        filter->setClearButtonEnabled(true);
        auto* list = new QListWidget(dialog);
        auto* text = new QTextBrowser(dialog);
        for (const GlossaryEntry& e : glossary()) list->addItem(e.term);
        QObject::connect(list, &QListWidget::currentRowChanged, text, [text](int row) {
            if (row < 0 || row >= static_cast<int>(glossary().size())) return text->clear();
            const GlossaryEntry& e = glossary()[static_cast<std::size_t>(row)];
            text->setHtml(QStringLiteral("<h3>%1</h3><p>%2</p>").arg(e.term.toHtmlEscaped(), e.text.toHtmlEscaped()));
        });
        QObject::connect(filter, &QLineEdit::textChanged, list, [list](const QString& f) {
            int first = -1;
            for (int i = 0; i < list->count(); ++i) {
                const GlossaryEntry& e = glossary()[static_cast<std::size_t>(i)];
                const bool match = e.term.contains(f, Qt::CaseInsensitive) || e.text.contains(f, Qt::CaseInsensitive);
                list->item(i)->setHidden(!match);
                if (match && first < 0) first = i;
            }
            if (first >= 0) list->setCurrentRow(first);
        });
        auto* row = new QHBoxLayout;
        row->addWidget(list, 1);
        row->addWidget(text, 2);
        auto* layout = new QVBoxLayout(dialog);
        layout->addWidget(filter);
        layout->addLayout(row, 1);
        dialog->resize(720, 440);
        list->setCurrentRow(0);
        open = dialog;
    }
    if (!term.isEmpty()) {
        auto* list = open->findChild<QListWidget*>();
        const auto found = list->findItems(term, Qt::MatchFixedString);
        if (!found.isEmpty()) list->setCurrentItem(found.front());
    }
    open->show();
    open->raise();
}

}  // namespace neurite
